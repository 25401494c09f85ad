"""The notifications service's composition root.

Consumers: the contact book, the enrolment projection, and the rules (balance alerts, payment
confirmations, requests). Background tasks started with the service: the sender loop and the
daily reminder schedule, next to the outbox relay.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from fastapi import FastAPI

from notifications.adapters.smtp import SmtpEmailSender
from notifications.adapters.templates import JinjaTemplates
from notifications.adapters.twilio import TwilioSmsSender, UnconfiguredSms, placeholder
from notifications.api import routes
from notifications.config import NotificationsSettings
from notifications.domain.exceptions import NotificationsError
from notifications.handlers.alert_on_balance import alert_on_balance
from notifications.handlers.confirm_payment import confirm_payment
from notifications.handlers.deliver_messages import Courier
from notifications.handlers.fulfil_request import fulfil_requests
from notifications.handlers.ports import Clock, SmsSender
from notifications.handlers.project_enrolments import project_enrolments
from notifications.handlers.remind_debtors import remind_debtors
from notifications.handlers.schedule import run_daily
from notifications.handlers.update_contact_book import update_contact_book
from shared.events import BalanceChanged, ContactsChanged, NotificationRequested, PaymentReceived, StudentEnrolled
from shared.service import Infrastructure, make_service_app
from shared.topics import Topic

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def system_clock() -> datetime:
    return datetime.now(UTC)


def make_app(settings: NotificationsSettings | None = None, clock: Clock = system_clock) -> FastAPI:
    settings = settings or NotificationsSettings()
    policy = settings.policy()

    def wire(infra: Infrastructure) -> None:
        uow = infra.unit_of_work
        rules: dict[str, Any] = {"unit_of_work": uow, "policy": policy, "clock": clock}
        contacts = partial(update_contact_book, unit_of_work=uow)
        infra.subscribe(Topic.CONTACTS_CHANGED, "update-contact-book", ContactsChanged, contacts)
        enrolments = partial(project_enrolments, unit_of_work=uow)
        infra.subscribe(Topic.STUDENT_ENROLLED, "project-enrolments", StudentEnrolled, enrolments)
        infra.subscribe(Topic.BALANCE_CHANGED, "alert-on-balance", BalanceChanged, partial(alert_on_balance, **rules))
        infra.subscribe(Topic.PAYMENT_RECEIVED, "confirm-payment", PaymentReceived, partial(confirm_payment, **rules))
        infra.subscribe(
            Topic.NOTIFICATION_REQUESTED, "fulfil-request", NotificationRequested, partial(fulfil_requests, **rules)
        )

    app = make_service_app(
        "notifications",
        settings,
        MIGRATIONS,
        routers=[routes.internal],
        wire=wire,
        error_status={NotificationsError: 422},
    )
    _start_background_work(app, settings, clock)
    return app


def _courier(settings: NotificationsSettings, infra: Infrastructure, http: httpx.AsyncClient, clock: Clock) -> Courier:
    return Courier(
        infra.unit_of_work,
        email=SmtpEmailSender(
            settings.smtp_host,
            settings.smtp_port,
            settings.mail_from,
            settings.smtp_username,
            settings.smtp_password,
            settings.smtp_starttls,
            settings.smtp_timeout_seconds,
        ),
        sms=_sms_sender(settings, http),
        renderer=JinjaTemplates(settings.portal_url, ZoneInfo(settings.time_zone)),
        policy=settings.policy(),
        clock=clock,
        batch_size=settings.sender_batch_size,
        idle_seconds=settings.sender_idle_seconds,
        stale_after=timedelta(seconds=settings.sending_stale_seconds),
    )


def _sms_sender(settings: NotificationsSettings, http: httpx.AsyncClient) -> SmsSender:
    if placeholder(settings.twilio_base_url, settings.twilio_account_sid):
        return UnconfiguredSms()
    return TwilioSmsSender(
        http, settings.twilio_base_url, settings.twilio_account_sid, settings.twilio_auth_token, settings.sms_sender
    )


def _start_background_work(app: FastAPI, settings: NotificationsSettings, clock: Clock) -> None:
    """Wraps the service's lifespan: the tasks start after migrations and stop with the relay."""
    infra: Infrastructure = app.state.infra
    service_lifespan = app.router.lifespan_context
    policy = settings.policy()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with (
            service_lifespan(app),
            httpx.AsyncClient(timeout=settings.sms_timeout_seconds) as http,
        ):
            logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per SMS request otherwise
            courier = _courier(settings, infra, http, clock)
            sender = asyncio.create_task(courier.run(), name="notifications-sender")
            schedule = None
            if settings.reminder_interval_seconds > 0:
                daily = run_daily(
                    partial(remind_debtors, infra.unit_of_work, policy),
                    clock,
                    settings.reminder_hour,
                    ZoneInfo(settings.time_zone),
                    settings.reminder_interval_seconds,
                )
                schedule = asyncio.create_task(daily, name="notifications-reminders")
            try:
                yield
            finally:
                # The round in progress finishes and is recorded; past the timeout it is cut short
                # and its messages stay `sending` (never resent: at most once).
                courier.stop()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.shield(sender), settings.smtp_timeout_seconds + 5)
                for task in (sender, schedule):
                    if task is not None:
                        task.cancel()
                await asyncio.gather(*(t for t in (sender, schedule) if t is not None), return_exceptions=True)

    app.router.lifespan_context = lifespan
