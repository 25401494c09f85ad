from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class AccountsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="ACCOUNTS_", extra="ignore")

    http_port: int = 8001
    # The price of a meal for an enrolment that names no tariff band (or a band without a price
    # valid on the day): the municipality's full tariff.
    meal_price_cents: int = 450
    # Sibling discount: this percentage off from the second enrolled child of one account.
    sibling_discount_percent: int = 0
    # A static credential for the office's automation and the demo, beside staff logins: off
    # unless set (the local scripts set a dev- one); in production, set only to a strong value.
    office_token: str | None = None
    session_hours: int = 12
    login_max_failures: int = 5  # per email
    login_max_failures_per_address: int = 30  # per client address (many families share a school's network)
    login_window_minutes: int = 15
    password_reset_minutes: int = 30
    portal_url: str = "http://127.0.0.1:8001"
    municipality_name: str = "Comune di Monte Cremasco"
    # The internal APIs the gateway forwards to, called with the service credential.
    attendance_url: str = "http://127.0.0.1:8002"
    payments_url: str = "http://127.0.0.1:8003"
    notifications_url: str = "http://127.0.0.1:8004"

    def _secrets(self) -> dict[str, str]:
        optional = {"office_token": self.office_token} if self.office_token is not None else {}
        return super()._secrets() | optional
