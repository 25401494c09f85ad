from __future__ import annotations

from datetime import timedelta

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from accounts.domain.adjustments import ApprovalRule
from accounts.domain.desk import DeskRules
from accounts.domain.password_reset import ResetLinks
from accounts.domain.tariffs import Pricing
from accounts.domain.users import LoginThrottle, SessionRules
from shared.acting import DEV_SIGNING_KEY
from shared.sealing import DEV_SEALING_KEY
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
    # Sessions (parents through SPID/CIE, staff through a password): absolute and idle expiry.
    session_hours: int = 12
    session_idle_minutes: int = 30
    # Signs the short-lived cookie that carries a login under way (state, nonce, PKCE verifier).
    # No default: the local scripts (deploy/local/dev.env) and the test kit set their own.
    session_secret: str
    # Staff log in with SPID/CIE like parents; a password login for staff only when turned on
    # (with the lockout below, and password resets to the staff member's own email).
    staff_password_login: bool = False
    login_max_failures: int = 5  # per email (staff password logins)
    login_max_failures_per_address: int = 30  # per client address (many families share a school's network)
    login_window_minutes: int = 15
    # Ended sessions, expired resets and old failed logins are removed once this old (hourly).
    login_records_kept_days: float = 30.0
    login_purge_interval_seconds: float = 3600.0
    reset_max_per_email: int = 3  # password-reset requests, per email and per address, in an hour
    reset_max_per_address: int = 20
    # Signs the person the gateway acts for when it calls the other services (`shared.acting`);
    # they verify with its public key (`python -m shared.acting public-key`).
    person_signing_key: str = DEV_SIGNING_KEY
    # Seals what only notifications may read in an event (a reset link): the same secret as
    # `NOTIFICATIONS_SEALING_KEY`.
    sealing_key: str = DEV_SEALING_KEY
    # An adjustment of more than this (either sign) waits for a responsabile's approval.
    adjustment_approval_cents: int = 5000
    # The Comune's SPID/CIE gateway, to which the portal is an OpenID Connect client.
    oidc_issuer: str = "http://127.0.0.1:9400"
    oidc_client_id: str = "refettorio-portale"
    oidc_client_secret: str  # no default, as session_secret
    oidc_scope: str = "openid profile"
    # Where the fiscal code is, in the order tried: SPID's attribute, then the names CIE and
    # generic gateways use. `TINIT-` (SPID's prefix for an Italian fiscal code) is removed.
    oidc_fiscal_code_claims: list[str] = Field(
        default_factory=lambda: ["fiscalNumber", "https://attributes.eid.gov.it/fiscal_number", "fiscal_number"]
    )
    # Extra authorisation parameters that tell the gateway which of its identity systems to offer.
    oidc_spid_params: dict[str, str] = Field(default_factory=lambda: {"idp_hint": "spid"})
    oidc_cie_params: dict[str, str] = Field(default_factory=lambda: {"idp_hint": "cie"})
    portal_url: str = "http://127.0.0.1:8001"
    municipality_name: str = "Comune di Monte Cremasco"
    office_address: str = "Piazza del Municipio 1, Monte Cremasco"
    office_email: str = "ufficio.scuola@comune.montecremasco.example.it"
    office_phone: str = "0373 123456"
    office_hours: str = "dal lunedì al venerdì, 9:00-12:30"
    # The municipality's treasury account, the debtor of the refunds' SEPA transfer file (the
    # name is `municipality_name`). Required in production.
    treasury_iban: str | None = None
    treasury_bic: str | None = None
    # The school year's closing goes through this many accounts per transaction; a failed batch
    # is retried after `year_closing_idle_seconds`. A started closing wakes an idle service at once
    # (NOTIFY); it also looks for one every `year_closing_poll_seconds`, a fallback only.
    year_closing_batch_size: int = Field(default=500, ge=1, le=10_000)
    year_closing_idle_seconds: float = 1.0
    year_closing_poll_seconds: float = 60.0
    # A balance that covers fewer meals than this is "low" on the Scrivania (as notifications' alert).
    low_credit_meals: int = 5
    # How often an open Scrivania asks whether the balance moved (htmx polling, seconds).
    desk_refresh_seconds: int = 5
    # The internal APIs the gateway forwards to, called with the service credential.
    attendance_url: str = "http://127.0.0.1:8002"
    payments_url: str = "http://127.0.0.1:8003"
    notifications_url: str = "http://127.0.0.1:8004"

    @model_validator(mode="after")
    def _treasury_in_production(self) -> AccountsSettings:
        if self.production and not (self.treasury_iban or "").strip():
            raise ValueError("set ACCOUNTS_TREASURY_IBAN in production: the refunds' transfer file needs it")
        return self

    @property
    def secure_cookies(self) -> bool:
        return self.portal_url.startswith("https://")

    @property
    def pricing(self) -> Pricing:
        return Pricing(self.meal_price_cents, self.sibling_discount_percent)

    @property
    def session_rules(self) -> SessionRules:
        return SessionRules(timedelta(hours=self.session_hours), timedelta(minutes=self.session_idle_minutes))

    @property
    def login_throttle(self) -> LoginThrottle:
        return LoginThrottle(
            self.login_max_failures, self.login_max_failures_per_address, timedelta(minutes=self.login_window_minutes)
        )

    @property
    def reset_throttle(self) -> LoginThrottle:
        return LoginThrottle(self.reset_max_per_email, self.reset_max_per_address, timedelta(hours=1), kind="reset")

    @property
    def reset_links(self) -> ResetLinks:
        return ResetLinks(self.portal_url, self.sealing_key)

    @property
    def approval_rule(self) -> ApprovalRule:
        return ApprovalRule(self.adjustment_approval_cents)

    @property
    def desk_rules(self) -> DeskRules:
        return DeskRules(self.pricing, self.low_credit_meals)

    def _secrets(self) -> dict[str, str]:
        optional = {"office_token": self.office_token} if self.office_token is not None else {}
        own = {
            "session_secret": self.session_secret,
            "oidc_client_secret": self.oidc_client_secret,
            "person_signing_key": self.person_signing_key,
            "sealing_key": self.sealing_key,
        }
        return super()._secrets() | own | optional
