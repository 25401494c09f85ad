"""The payments service's settings (`PAYMENTS_` prefix); handlers get the values they describe."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from payments.domain.creditor import Creditor
from payments.domain.station import Station
from shared.settings import ServiceSettings


class PaymentsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PAYMENTS_", extra="ignore")

    http_port: int = 8003

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

    def _secrets(self) -> dict[str, str]:
        return super()._secrets() | {
            "node_secret": self.node_secret,
            "checkout_subscription_key": self.checkout_subscription_key,
        }

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
