"""The payments service's composition root: its routes, its unit of work, its clock, the ACA sender.

It consumes no events; it publishes `payment-received` through the outbox. Beside the outbox
relay runs the ACA sender (`api/aca_worker.py`), which registers the notices' changes in
pagoPA's ACA.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import AsyncIterator, Awaitable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import httpx
from fastapi import FastAPI

from payments.adapters.http_aca import HttpAca
from payments.adapters.sql_aca import CHANNEL
from payments.adapters.sql_unit_of_work import SqlPaymentsUnitOfWork
from payments.api import aca, anomalies, node, notices, reconciliation, top_ups
from payments.api.aca_worker import AcaSender
from payments.config import PaymentsSettings
from payments.domain.exceptions import (
    AnomalyAlreadyResolved,
    AnomalyNotFound,
    AnomalyWithoutAccount,
    CheckoutUnavailable,
    NoticeBeingPaid,
    NoticeNotCancellable,
    NoticeNotChangeable,
    NoticeNotFound,
    NoticeNotPayable,
    ResolutionNotAllowed,
)
from payments.handlers.ports import Clock
from payments.handlers.register_in_aca import register_in_aca
from shared import backlog
from shared.db import plain_dsn
from shared.events import PaymentReceived
from shared.messaging.outbox import Listener
from shared.service import Infrastructure, ServiceParts, make_service_app

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
            routers=[
                backlog.router,
                notices.router,
                aca.router,
                anomalies.router,
                top_ups.router,
                reconciliation.router,
                node.node,
            ],
            publishes=[PaymentReceived],
            unit_of_work_class=SqlPaymentsUnitOfWork,
            background=[partial(_aca_sender, settings, clock)],
            error_status={
                NoticeNotFound: 404,
                NoticeNotCancellable: 409,
                NoticeNotChangeable: 409,
                NoticeBeingPaid: 409,
                NoticeNotPayable: 409,
                CheckoutUnavailable: 503,
                AnomalyNotFound: 404,
                AnomalyAlreadyResolved: 409,
                AnomalyWithoutAccount: 409,
                ResolutionNotAllowed: 403,
            },
        ),
    )
    app.state.clock = clock
    return app


class _AcaWakeup(Listener):
    CHANNEL = CHANNEL


@contextlib.asynccontextmanager
async def _aca_sender(settings: PaymentsSettings, clock: Clock, infra: Infrastructure) -> AsyncIterator[None]:
    """At shutdown the round under way finishes and is recorded; past the timeout it is cut short,
    rolled back, and its changes are sent again by the next start (ACA takes them as updates)."""
    async with httpx.AsyncClient(timeout=settings.aca_timeout_seconds) as http:
        logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
        aca = HttpAca(http, settings.aca_api_url, settings.aca_subscription_key)
        retry, batch = settings.aca_retry(), settings.aca_batch_size

        def send_round() -> Awaitable[Counter[str]]:
            return register_in_aca(infra.unit_of_work(), aca, clock, retry, batch)

        wakeup = _AcaWakeup(plain_dsn(settings.database_url))
        sender = AcaSender(send_round, wakeup, settings.aca_idle_seconds, batch)
        running = asyncio.create_task(sender.run(), name="payments-aca-sender")
        try:
            yield
        finally:
            sender.stop()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(running), settings.aca_timeout_seconds + 5)
            running.cancel()
            await asyncio.gather(running, return_exceptions=True)
            await wakeup.close()
