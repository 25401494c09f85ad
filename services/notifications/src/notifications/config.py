from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo

from pydantic import field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from notifications.adapters.http_io import configured
from notifications.domain.delivery import QuietHours, RetryPolicy
from notifications.domain.policy import Policy
from notifications.domain.rules import ReminderPolicy
from shared.settings import ServiceSettings


class NotificationsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFICATIONS_", extra="ignore")

    http_port: int = 8004
    portal_url: str = "http://127.0.0.1:8001"
    time_zone: str = "Europe/Rome"
    # Low credit: a fixed amount if set, else the cost of `low_credit_meals` meals.
    low_credit_threshold_cents: int | None = None
    low_credit_meals: int = 5
    meal_price_cents: int = 450
    # No SMS from `quiet_hours_start` to `quiet_hours_end` (local time): deferred until the end.
    quiet_hours_start: time = time(20, 0)
    quiet_hours_end: time = time(8, 0)
    # Reminders: negative for more than `reminder_after_days`, at most one per period; the daily
    # run happens from `reminder_hour` local time (checked every interval; 0 disables it).
    reminder_after_days: int = 7
    reminder_period_days: int = 7
    reminder_hour: int = 9
    reminder_interval_seconds: float = 900.0
    # Email over SMTP.
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = 30.0
    mail_from: str = "Refettorio - Ufficio Scuola <mensa@comune.example.it>"
    # SMS through Twilio's REST API (see adapters/twilio.py).
    twilio_base_url: str = "https://api.twilio.com"
    twilio_account_sid: str = "dev-account-sid"
    twilio_auth_token: str = "dev-twilio-token"
    sms_sender: str = "Refettorio"
    sms_timeout_seconds: float = 15.0
    # Messages in the app IO (see adapters/http_io.py): on once the key of the municipality's
    # service in the IO back-office is set. A notice's payee is the creditor payments names.
    io_base_url: str = "https://api.io.pagopa.it/api/v1"
    io_api_key: str | None = None
    io_requests_per_window: int = 150
    io_window_seconds: float = 5.0
    io_timeout_seconds: float = 15.0
    # The sender loop.
    sender_batch_size: int = 50
    sender_idle_seconds: float = 5.0  # new entries wake the sender (NOTIFY); due retries wait for this poll
    retry_max_attempts: int = 10
    retry_base_seconds: float = 5.0
    retry_cap_seconds: float = 600.0
    sending_stale_seconds: float = 600.0

    @field_validator("io_api_key")
    @classmethod
    def _an_empty_key_is_none(cls, value: str | None) -> str | None:
        return value or None  # `NOTIFICATIONS_IO_API_KEY=` (compose's unset variable): IO off

    @model_validator(mode="after")
    def _stale_only_after_any_send_could_have_ended(self) -> NotificationsSettings:
        io_send = 2 * (self.io_timeout_seconds + self.io_window_seconds)  # profile and message, each paced
        if self.sending_stale_seconds <= max(self.smtp_timeout_seconds, self.sms_timeout_seconds, io_send) + 5:
            raise ValueError("sending_stale_seconds must exceed the SMTP, SMS and IO timeouts")
        return self

    def _secrets(self) -> dict[str, str]:
        io = {"io_api_key": self.io_api_key} if self.io_api_key is not None else {}
        return super()._secrets() | {"twilio_auth_token": self.twilio_auth_token} | io

    @property
    def io_enabled(self) -> bool:
        return configured(self.io_base_url, self.io_api_key)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def policy(self) -> Policy:
        threshold = self.low_credit_threshold_cents
        if threshold is None:
            threshold = self.low_credit_meals * self.meal_price_cents
        return Policy(
            low_credit_threshold_cents=threshold,
            quiet_hours=QuietHours(self.quiet_hours_start, self.quiet_hours_end, self.zone),
            reminders=ReminderPolicy(self.reminder_after_days, self.reminder_period_days),
            retries=RetryPolicy(self.retry_max_attempts, self.retry_base_seconds, self.retry_cap_seconds),
            channels=("email", "sms", "io") if self.io_enabled else ("email", "sms"),
            zone=self.zone,
        )
