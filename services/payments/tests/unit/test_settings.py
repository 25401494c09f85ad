"""Production refuses to start without ACA's real subscription key and address."""

import pytest
from pydantic import ValidationError

from payments.config import PaymentsSettings

STRONG = "s3cr3t-0f-the-municipality-2026"
REAL = {
    "database_url": "postgresql+asyncpg://u:p@127.0.0.1:1/db",
    "environment": "production",
    "service_token": STRONG,
    "node_secret": STRONG,
    "checkout_subscription_key": STRONG,
    "aca_subscription_key": STRONG,
    "aca_api_url": "https://api.platform.pagopa.it/aca/v1",
}


def test_production_with_pagopa_aca_starts() -> None:
    assert PaymentsSettings(**REAL).aca_api_url == "https://api.platform.pagopa.it/aca/v1"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("missing", "complaint"),
    [("aca_subscription_key", "aca_subscription_key"), ("aca_api_url", "PAYMENTS_ACA_API_URL")],
)
def test_production_without_them_refuses_to_start(missing: str, complaint: str) -> None:
    values = {k: v for k, v in REAL.items() if k != missing}  # the default: the local stand-in, a dev- key
    with pytest.raises(ValidationError, match=complaint):
        PaymentsSettings(**values)  # type: ignore[arg-type]


def test_development_points_at_the_local_stand_in() -> None:
    local = PaymentsSettings(database_url=REAL["database_url"], environment="development")  # type: ignore[arg-type]
    assert local.aca_api_url == "http://127.0.0.1:8010" and local.aca_subscription_key == "dev-aca-key"
