from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from shared.settings import BehindTheGateway


class AttendanceSettings(BehindTheGateway):
    model_config = SettingsConfigDict(env_prefix="ATTENDANCE_", extra="ignore")

    http_port: int = 8002
    # How long after the close a school's terminal may still correct a day; the office always may.
    terminal_correction_hours: float = 48.0
