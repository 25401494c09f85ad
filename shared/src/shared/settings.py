"""The settings every service has; each service subclasses it with its own env prefix."""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.acting import DEV_VERIFY_KEY, valid_verify_key

MIN_SECRET_LENGTH = 16


def strong_secret(value: str) -> bool:
    return len(value) >= MIN_SECRET_LENGTH and not value.lower().startswith("dev-")


class ServiceSettings(BaseSettings):
    """`<PREFIX>_DATABASE_URL`, `<PREFIX>_HTTP_PORT`...; Kafka may be shared by all services."""

    model_config = SettingsConfigDict(extra="ignore")

    # Production unless told otherwise: the local scripts and the test run say `development` and
    # `test`; anything else (a container, a server) gets the strict checks below.
    environment: Literal["development", "test", "production"] = "production"
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
    # How long a consumer's poll waits for records (Kafka's fetch and the client's wait): records
    # are handed over the moment they arrive, so this only sets how often an idle consumer wakes.
    consumer_wait_ms: int = 2000
    outbox_batch_size: int = 1000
    # How long the relay's producer lets a record wait for others to share its Kafka request: a
    # busy service's events then leave in fewer, larger requests. A service whose events are few,
    # each awaited by a person, sends at once (payments: 0).
    outbox_linger_ms: int = 5
    # The relay wakes on NOTIFY; this is only its fallback poll (a row whose send failed, a batch
    # another replica's relay took and did not finish), and every poll wakes an idle process.
    outbox_idle_seconds: float = 5.0
    outbox_retention_hours: float = 72.0  # published rows are purged after this
    outbox_drain_seconds: float = 10.0  # at shutdown, for the relay's batch under way
    # Traces go to an OpenTelemetry collector over OTLP/HTTP when set (the standard variable).
    otlp_endpoint: str = Field(
        default="", validation_alias=AliasChoices("otlp_endpoint", "OTEL_EXPORTER_OTLP_ENDPOINT")
    )
    # Credential of internal calls between services (accounts -> payments/attendance).
    service_token: str = "dev-service-token"

    @model_validator(mode="after")
    def _no_weak_secrets_in_production(self) -> ServiceSettings:
        if self.environment == "production":
            weak = sorted(name for name, value in self._secrets().items() if not strong_secret(value))
            if weak:
                raise ValueError(
                    f"set real secrets in production (at least {MIN_SECRET_LENGTH} characters, "
                    f"not a dev- placeholder): {', '.join(weak)}"
                )
        return self

    def _secrets(self) -> dict[str, str]:
        """The secrets production checks; a subclass adds its own (an optional one only when set)."""
        return {"service_token": self.service_token}

    @property
    def production(self) -> bool:
        return self.environment == "production"

    def topic(self, name: str) -> str:
        return self.topic_prefix + name


class BehindTheGateway(ServiceSettings):
    """A service the gateway calls on people's behalf: it verifies the person it names
    (`shared.acting`) with the gateway's public key."""

    person_verify_key: str = DEV_VERIFY_KEY

    @model_validator(mode="after")
    def _a_usable_verify_key(self) -> BehindTheGateway:
        if self.production and (self.person_verify_key == DEV_VERIFY_KEY or self.person_verify_key.startswith("dev-")):
            raise ValueError("set real secrets in production: person_verify_key is the development key")
        if not valid_verify_key(self.person_verify_key):
            raise ValueError(
                "person_verify_key is not an Ed25519 public key (base64url): see `python -m shared.acting`"
            )
        return self

    def _secrets(self) -> dict[str, str]:
        # Not a secret, but a placeholder left in a deployment must stop the start all the same.
        return super()._secrets() | {"person_verify_key": self.person_verify_key}
