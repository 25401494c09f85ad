"""The accounts service's composition root: the app, its database, its consumers, and the
gateways to the other services."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Coroutine
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from accounts import consumers, web
from accounts.adapters.argon2_passwords import Argon2Passwords
from accounts.adapters.http_attendance import HttpAttendance
from accounts.adapters.http_calendar import HttpCalendar
from accounts.adapters.http_notifications import HttpNotifications
from accounts.adapters.http_payments import HttpPayments
from accounts.adapters.http_services import ServiceClient
from accounts.adapters.http_terminals import HttpTerminals
from accounts.adapters.kafka_dead_letters import KafkaDeadLetters
from accounts.adapters.sql_unit_of_work import SqlAccountsUnitOfWork
from accounts.adapters.sql_year_closings import CHANNEL as YEAR_CLOSING_CHANNEL
from accounts.api import (
    accounts,
    assistance,
    auth,
    desk,
    family,
    office,
    office_calendar,
    office_dashboard,
    office_money,
    office_staff,
    office_talk,
    office_year,
    services,
    terminals,
)
from accounts.api.fast_reads import FastReads
from accounts.config import AccountsSettings
from accounts.domain import exceptions as e
from accounts.domain.anomalies import AnomalyNotFound
from accounts.handlers.check_ledger import check_ledger
from accounts.handlers.close_school_year import close_next_batch
from accounts.handlers.ports import Gateways
from accounts.handlers.purge_logins import purge_logins
from shared.acting import Person, PersonSigner
from shared.db import make_engine, plain_dsn
from shared.errors import RefettorioError
from shared.events import BalanceChanged, ContactsChanged, NotificationRequested, StudentEnrolled
from shared.messaging.wakeup import Listener
from shared.service import Infrastructure, ServiceParts, make_service_app

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
ERROR_STATUS: dict[type[RefettorioError], int] = {
    e.AccountNotFound: 404,
    e.StudentNotFound: 404,
    e.DuplicateHolder: 409,
    e.DuplicateStudent: 409,
    e.DuplicateUser: 409,
    e.IdempotencyConflict: 409,
    e.YearClosed: 409,
    e.YearNotOver: 409,
    e.ForcedClosingNotAllowed: 403,
    e.ClosingNotStarted: 404,
    e.NoRefundsToPay: 409,
    e.TreasuryIbanMissing: 409,
    e.InvalidCredentials: 401,
    e.LoginLocked: 429,
    e.IdentityWithoutTaxCode: 400,
    e.LoginFailed: 400,
    e.NotEnrolled: 403,
    e.HolderOnly: 403,
    e.NoticeNotFound: 404,
    e.NoticeNotCancellable: 409,
    e.NotAllowed: 403,
    e.RequestNotFound: 404,
    e.AlreadyDecided: 409,
    e.FormAlreadyRecorded: 409,
    e.PriceInUse: 409,
    e.ResetLinkInvalid: 400,
    e.TooManyRequests: 429,
    AnomalyNotFound: 404,
    e.AccountsError: 422,
}


def make_app(settings: AccountsSettings | None = None) -> FastAPI:
    settings = settings or AccountsSettings()
    client = ServiceClient(settings.service_token, PersonSigner(settings.person_signing_key))
    app = make_service_app(
        "accounts",
        settings,
        ServiceParts(
            MIGRATIONS,
            routers=[
                accounts.router,  # first: its reads are most of the traffic, and routes match in order
                auth.router,
                *([auth.passwords] if settings.staff_password_login else []),
                office.router,
                office_money.router,
                office_dashboard.router,
                office_year.router,
                office_staff.router,
                office_talk.router,
                services.office,
                assistance.office,
                terminals.router,
                office_calendar.router,
                desk.router,
                services.router,
                family.router,
                assistance.router,
            ],
            rules=consumers.rules(settings),
            publishes=[StudentEnrolled, ContactsChanged, BalanceChanged, NotificationRequested],
            unit_of_work_class=SqlAccountsUnitOfWork,
            background=[client.open, partial(purging_logins, settings), partial(closing_years, settings)],
            error_status=ERROR_STATUS,
        ),
    )
    app.state.gateways = partial(gateways, client, settings)  # bound per request to who asks
    app.state.passwords = Argon2Passwords()
    app.state.dead_letters = KafkaDeadLetters(settings.kafka_bootstrap_servers, settings.topic_prefix)
    web.install(app, settings, ERROR_STATUS)
    app.add_middleware(FastReads)  # outermost: the hot reads pass by the other layers (`fast_reads`)
    return app


def gateways(client: ServiceClient, settings: AccountsSettings, person: Person | None) -> Gateways:
    """The other services, called for `person` (`shared.acting`)."""
    return Gateways(
        attendance=HttpAttendance(client.to("attendance", person), settings.attendance_url),
        payments=HttpPayments(
            client.to("payments", person), settings.payments_url, f"{settings.portal_url}/ricarica/esito"
        ),
        notifications=HttpNotifications(client.to("notifications", person), settings.notifications_url),
        terminals=HttpTerminals(client.to("attendance", person), settings.attendance_url),
        calendar=HttpCalendar(client.to("attendance", person), settings.attendance_url),
    )


async def check_the_ledger(settings: AccountsSettings) -> int:
    """`python -m accounts.check_ledger`: prints the accounts whose balance is not the sum of
    their movements; 1 if there is any, else 0."""
    engine = make_engine(settings.database_url)
    try:
        checked = await check_ledger(SqlAccountsUnitOfWork(engine, "accounts", settings.topic_prefix))
    finally:
        await engine.dispose()
    for row in checked.unbalanced:
        print(f"account {row.account_id}: balance {row.balance_cents} != movements {row.movements_cents}")
    print(f"{checked.accounts_checked} accounts checked, {len(checked.unbalanced)} unbalanced")
    return 1 if checked.unbalanced else 0


log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def _running(work: Coroutine[Any, Any, None], name: str) -> AsyncIterator[None]:
    """`work` as a task while the service runs; cancelled when it stops."""
    task = asyncio.create_task(work, name=name)
    try:
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def purging_logins(settings: AccountsSettings, infra: Infrastructure) -> contextlib.AbstractAsyncContextManager[None]:
    """Every `login_purge_interval_seconds`, what logins leave behind goes (`purge_logins`)."""
    return _running(_purge_every(settings, infra), "accounts-login-purge")


async def _purge_every(settings: AccountsSettings, infra: Infrastructure) -> None:
    keep = timedelta(days=settings.login_records_kept_days)
    while True:
        try:
            purged = await purge_logins(infra.unit_of_work(), datetime.now(UTC), keep)
            log.info("login records purged", extra={"purged": vars(purged)})
        except Exception:  # the database away, say: nothing is lost by waiting, the next round retries
            log.exception("login records not purged, retried at the next round")
        await asyncio.sleep(settings.login_purge_interval_seconds)


def closing_years(settings: AccountsSettings, infra: Infrastructure) -> contextlib.AbstractAsyncContextManager[None]:
    """Closes the school years whose closing was started, a batch of accounts at a time: a job
    left running by a process that stopped goes on here (`handlers.close_school_year`)."""
    return _running(_close_years(settings, infra), "accounts-year-closing")


async def _close_years(settings: AccountsSettings, infra: Infrastructure) -> None:
    """A started closing wakes the loop (`NOTIFY year_closing`); the poll is only its fallback."""
    listener = Listener(plain_dsn(settings.database_url), channel=YEAR_CLOSING_CHANNEL)
    try:
        while True:
            listener.clear()  # a start committed from now on wakes the wait below
            try:
                worked = await close_next_batch(infra.unit_of_work(), settings.year_closing_batch_size)
            except Exception:  # the batch rolled back whole: the job stays where it was, retried
                log.exception("school year closing batch failed, retried")
                await asyncio.sleep(settings.year_closing_idle_seconds)
                continue
            if not worked:
                await listener.wait(settings.year_closing_poll_seconds)
    finally:
        await listener.close()
