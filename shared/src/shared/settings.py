"""The settings every service has; each service subclasses it with its own env prefix."""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """`<PREFIX>_DATABASE_URL`, `<PREFIX>_HTTP_PORT`...; Kafka may be shared by all services."""

    model_config = SettingsConfigDict(extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str
    kafka_bootstrap_servers: str = Field(
        default="127.0.0.1:9092",
        validation_alias=AliasChoices("kafka_bootstrap_servers", "KAFKA_BOOTSTRAP_SERVERS"),
    )
    # Lets several test runs (or tenants) share one broker without sharing topics.
    topic_prefix: str = Field(default="", validation_alias=AliasChoices("topic_prefix", "KAFKA_TOPIC_PREFIX"))
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    log_level: str = "INFO"
    consumer_batch_size: int = 500
    outbox_batch_size: int = 1000
    outbox_idle_seconds: float = 1.0  # the relay wakes on NOTIFY; this is only its fallback poll
    outbox_drain_seconds: float = 10.0  # at shutdown, for the relay's batch under way
    # Traces go to an OpenTelemetry collector over OTLP/HTTP when set (the standard variable).
    otlp_endpoint: str = Field(
        default="", validation_alias=AliasChoices("otlp_endpoint", "OTEL_EXPORTER_OTLP_ENDPOINT")
    )
    # Credential of internal calls between services (accounts -> payments/attendance).
    service_token: str = "dev-service-token"

    @model_validator(mode="after")
    def _no_development_secrets_in_production(self) -> ServiceSettings:
        if self.environment == "production":
            weak = [name for name, value in self._secrets().items() if value.startswith("dev-")]
            if weak:
                raise ValueError(f"set real secrets in production: {', '.join(sorted(weak))}")
        return self

    def _secrets(self) -> dict[str, str]:
        return {"service_token": self.service_token}

    def topic(self, name: str) -> str:
        return self.topic_prefix + name
