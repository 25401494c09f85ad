"""The payments service's settings (`PAYMENTS_` prefix); handlers get the values they describe."""

from __future__ import annotations

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from payments.domain.aca import RetryPolicy
from payments.domain.creditor import Creditor
from payments.domain.station import Station
from shared.settings import BehindTheGateway


class PaymentsSettings(BehindTheGateway):
    model_config = SettingsConfigDict(env_prefix="PAYMENTS_", extra="ignore")

    http_port: int = 8003
    # A receipt's payment-received is awaited by a family watching its balance: it leaves at once.
    outbox_linger_ms: int = 0

    # The creditor (Ente Creditore) and its station towards the pagoPA node.
    creditor_fiscal_code: str = Field(default="01234567897", pattern=r"^\d{11}$")
    creditor_name: str = "Comune di Refettorio"
    creditor_office: str = "Ufficio Scuola"
    broker_id: str = Field(default="01234567897", min_length=1, max_length=35)
    station_id: str = Field(default="01234567897_01", min_length=1, max_length=35)
    segregation_code: str = Field(default="02", pattern=r"^\d{2}$")
    creditor_iban: str = "IT60X0542811101000000123456"
    # Taxonomy code of the transfer (pagoPA "tassonomia dei servizi"): school canteen services.
    transfer_category: str = "9/0201102IM/"
    cbill_code: str = "AAAAA"
    notice_validity_days: int = Field(default=60, gt=0)
    # The node authenticates with this header (mutual TLS is the reverse proxy's job).
    node_secret_header: str = "X-PagoPA-Node-Secret"
    node_secret: str = "dev-node-secret"
    # See `Station.duplicate_receipt_ok`.
    duplicate_receipt_ok: bool = False
    soap_max_bytes: int = 256 * 1024
    # pagoPA Checkout (online payment): `POST {checkout_api_url}/checkout/ec/v1/carts` answers 302
    # with the page to send the parent to; the subscription key authenticates the creditor.
    checkout_api_url: str = "https://api.platform.pagopa.it"
    checkout_subscription_key: str = "dev-checkout-key"
    # pagoPA's ACA (Archivio Centralizzato Avvisi): every notice's changes go to
    # `POST {aca_api_url}/paCreatePosition` with this subscription key. The default is the local
    # stand-in (`tests/aca_stand_in.py`, started by `make up`); production wants pagoPA's own
    # (https://api.platform.pagopa.it/aca/v1, or api.uat... for the test environment).
    aca_api_url: str = "http://127.0.0.1:8010"
    aca_subscription_key: str = "dev-aca-key"
    aca_timeout_seconds: float = Field(default=10.0, gt=0)
    aca_batch_size: int = Field(default=20, gt=0)  # changes sent at once, one per notice
    aca_idle_seconds: float = Field(default=5.0, gt=0)  # a queued change wakes the sender; this is its fallback poll
    aca_retry_base_seconds: float = Field(default=2.0, gt=0)
    aca_retry_cap_seconds: float = Field(default=600.0, gt=0)

    def _secrets(self) -> dict[str, str]:
        return super()._secrets() | {
            "node_secret": self.node_secret,
            "checkout_subscription_key": self.checkout_subscription_key,
            "aca_subscription_key": self.aca_subscription_key,
        }

    @model_validator(mode="after")
    def _real_aca_in_production(self) -> PaymentsSettings:
        if self.production and not self.aca_api_url.startswith("https://"):
            raise ValueError("set PAYMENTS_ACA_API_URL to pagoPA's ACA API (https) in production")
        return self

    def aca_retry(self) -> RetryPolicy:
        return RetryPolicy(self.aca_retry_base_seconds, self.aca_retry_cap_seconds)

    def creditor(self) -> Creditor:
        return Creditor(
            fiscal_code=self.creditor_fiscal_code,
            name=self.creditor_name,
            office=self.creditor_office,
            iban=self.creditor_iban,
            transfer_category=self.transfer_category,
            cbill=self.cbill_code,
            segregation_code=self.segregation_code,
            notice_validity_days=self.notice_validity_days,
        )

    def station(self) -> Station:
        return Station(self.creditor_fiscal_code, self.broker_id, self.station_id, self.duplicate_receipt_ok)
