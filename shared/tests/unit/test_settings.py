"""No default opens a door in production."""

from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from shared.http import same_secret
from shared.service import ServiceParts, make_service_app
from shared.settings import ServiceSettings

STRONG = "s3cr3t-0f-the-municipality-2026"


class Settings(ServiceSettings):
    node_secret: str = "dev-node-secret"

    def _secrets(self) -> dict[str, str]:
        return super()._secrets() | {"node_secret": self.node_secret}


def settings(**values: str) -> Settings:
    return Settings(database_url="postgresql+asyncpg://u:p@127.0.0.1:1/db", **values)  # type: ignore[arg-type]


def test_production_is_the_default_and_refuses_placeholder_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ENVIRONMENT", raising=False)
    with pytest.raises(ValidationError, match="node_secret, service_token"):
        settings()


@pytest.mark.parametrize(
    "weak", ["", "short-secret", "dev-a-very-long-placeholder-value", "DEV-LONG-PLACEHOLDER-VALUE"]
)
def test_production_refuses_empty_short_and_dev_secrets(weak: str) -> None:
    with pytest.raises(ValidationError, match="node_secret"):
        settings(service_token=STRONG, node_secret=weak)


def test_production_starts_with_strong_secrets_and_development_with_placeholders() -> None:
    assert settings(service_token=STRONG, node_secret=STRONG).production
    assert not settings(environment="development").production


def test_an_empty_or_missing_credential_never_matches() -> None:
    assert not same_secret("", "")
    assert not same_secret(None, "")
    assert not same_secret("", STRONG)
    assert same_secret(STRONG, STRONG)


async def test_no_api_documents_in_production() -> None:
    for production, expected in ((True, 404), (False, 200)):
        environment = "production" if production else "test"
        app = make_service_app(
            "kernel", settings(environment=environment, service_token=STRONG, node_secret=STRONG), ServiceParts(Path())
        )
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            statuses = {
                path: (await client.get(path)).status_code for path in ("/docs", "/openapi.json", "/asyncapi.json")
            }
        assert set(statuses.values()) == {expected}, statuses
        await app.state.infra.engine.dispose()
