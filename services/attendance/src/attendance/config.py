from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class AttendanceSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="ATTENDANCE_", extra="ignore")

    http_port: int = 8002
