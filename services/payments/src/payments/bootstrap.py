"""The payments service's composition root: its routes, its unit of work, its clock.

It consumes no events; it publishes `payment-received` through the outbox.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI

from payments.adapters.sql_unit_of_work import SqlPaymentsUnitOfWork
from payments.api import node, notices, reconciliation
from payments.config import PaymentsSettings
from payments.domain.exceptions import CheckoutUnavailable, NoticeNotCancellable, NoticeNotFound, NoticeNotPayable
from payments.handlers.ports import Clock
from shared.events import PaymentReceived
from shared.service import ServiceParts, make_service_app

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def system_clock() -> datetime:
    return datetime.now(UTC)


def make_app(settings: PaymentsSettings | None = None, clock: Clock = system_clock) -> FastAPI:
    settings = settings or PaymentsSettings()
    app = make_service_app(
        "payments",
        settings,
        ServiceParts(
            MIGRATIONS,
            routers=[notices.router, reconciliation.router, node.node],
            publishes=[PaymentReceived],
            unit_of_work_class=SqlPaymentsUnitOfWork,
            error_status={
                NoticeNotFound: 404,
                NoticeNotCancellable: 409,
                NoticeNotPayable: 409,
                CheckoutUnavailable: 503,
            },
        ),
    )
    app.state.clock = clock
    return app
