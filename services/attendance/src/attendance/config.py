from __future__ import annotations

from pydantic import model_validator
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class AttendanceSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="ATTENDANCE_", extra="ignore")

    http_port: int = 8002
    # How long after the close a school's terminal may still correct a day; the office always may.
    terminal_correction_hours: float = 48.0
    # Where the school tablets reach the terminal's screen (`<public_url>/terminale`): its
    # credential cookie is Secure when this is https (it must be, in production).
    public_url: str = "http://127.0.0.1:8002"
    # How long the pairing code the office is shown stays valid.
    pairing_minutes: float = 10.0
    # Who the screen speaks for (its header and footer), as the portal's.
    municipality_name: str = "Comune di Monte Cremasco"
    office_email: str = ""
    office_phone: str = ""

    @model_validator(mode="after")
    def _https_in_production(self) -> AttendanceSettings:
        if self.production and not self.public_url.startswith("https://"):
            raise ValueError("ATTENDANCE_PUBLIC_URL must be https in production (the terminals' cookie is Secure)")
        return self

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")
