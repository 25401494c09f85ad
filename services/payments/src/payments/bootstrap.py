"""The payments service's composition root."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from payments.adapters.checkout import CheckoutUnavailable
from payments.api import node, notices, reconciliation
from payments.config import PaymentsSettings
from payments.domain.exceptions import NoticeNotCancellable, NoticeNotFound, NoticeNotPayable
from shared.events import PaymentReceived
from shared.service import ServiceParts, make_service_app

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def make_app(settings: PaymentsSettings | None = None) -> FastAPI:
    settings = settings or PaymentsSettings()
    return make_service_app(
        "payments",
        settings,
        ServiceParts(
            MIGRATIONS,
            routers=[notices.router, reconciliation.router, node.node],
            publishes=[PaymentReceived],
            error_status={
                NoticeNotFound: 404,
                NoticeNotCancellable: 409,
                NoticeNotPayable: 409,
                CheckoutUnavailable: 503,
            },
        ),
    )
