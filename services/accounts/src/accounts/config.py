from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class AccountsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="ACCOUNTS_", extra="ignore")

    http_port: int = 8001
    # The price of one meal until tariff bands exist (issue: tariffs).
    meal_price_cents: int = 450
    # The school office's credential until users and roles exist.
    office_token: str = "dev-office-token"

    def _secrets(self) -> dict[str, str]:
        return super()._secrets() | {"office_token": self.office_token}
