"""The notifications service's composition root.

Consumers: the contact book, the enrolment projection, and the rules (balance alerts, payment
confirmations, requests). Background tasks started with the service: the sender loop (email,
SMS, the app IO) and the daily reminder schedule, next to the outbox relay.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import httpx
from fastapi import FastAPI

from notifications import consumers
from notifications.adapters.http_io import IoMessageSender, UnconfiguredIo
from notifications.adapters.jinja_templates import JinjaTemplates
from notifications.adapters.smtp import SmtpEmailSender
from notifications.adapters.sql_delivery_log import CHANNEL as DELIVERY_CHANNEL
from notifications.adapters.sql_unit_of_work import SqlNotificationsUnitOfWork
from notifications.adapters.twilio import TwilioSmsSender, UnconfiguredSms, placeholder
from notifications.api import routes
from notifications.config import NotificationsSettings
from notifications.domain.exceptions import NotificationsError
from notifications.domain.policy import Policy
from notifications.handlers.deliver_messages import Courier
from notifications.handlers.ports import Clock, IoSender, SmsSender
from notifications.handlers.remind_debtors import remind_debtors
from notifications.handlers.schedule import run_daily
from shared import backlog
from shared.db import plain_dsn
from shared.messaging.wakeup import Listener
from shared.service import Infrastructure, ServiceParts, make_service_app

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def system_clock() -> datetime:
    return datetime.now(UTC)


def make_app(settings: NotificationsSettings | None = None, clock: Clock = system_clock) -> FastAPI:
    settings = settings or NotificationsSettings()
    policy = settings.policy()
    app = make_service_app(
        "notifications",
        settings,
        ServiceParts(
            MIGRATIONS,
            routers=[routes.internal, backlog.router],
            rules=consumers.rules(policy, clock),
            unit_of_work_class=SqlNotificationsUnitOfWork,
            background=[partial(_sender, settings, policy, clock), partial(_reminders, settings, policy, clock)],
            error_status={NotificationsError: 422},
        ),
    )
    app.state.policy, app.state.clock = policy, clock  # the office's routes count and preview as the sender will send
    app.state.renderer = JinjaTemplates(settings.portal_url, settings.zone)
    return app


def _courier(
    settings: NotificationsSettings,
    policy: Policy,
    clock: Clock,
    infra: Infrastructure,
    sms_http: httpx.AsyncClient,
    io_http: httpx.AsyncClient,
    wakeup: Listener,
) -> Courier:
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
        sms=_sms_sender(settings, sms_http),
        io=_io_sender(settings, io_http),
        renderer=JinjaTemplates(settings.portal_url, settings.zone),
        policy=policy,
        clock=clock,
        batch_size=settings.sender_batch_size,
        idle_seconds=settings.sender_idle_seconds,
        stale_after=timedelta(seconds=settings.sending_stale_seconds),
        wakeup=wakeup,
    )


def _sms_sender(settings: NotificationsSettings, http: httpx.AsyncClient) -> SmsSender:
    if placeholder(settings.twilio_base_url, settings.twilio_account_sid):
        return UnconfiguredSms()
    return TwilioSmsSender(
        http, settings.twilio_base_url, settings.twilio_account_sid, settings.twilio_auth_token, settings.sms_sender
    )


def _io_sender(settings: NotificationsSettings, http: httpx.AsyncClient) -> IoSender:
    if settings.io_api_key is None or not settings.io_enabled:  # then no message is queued for IO
        return UnconfiguredIo()
    return IoMessageSender(
        http, settings.io_base_url, settings.io_api_key, settings.io_requests_per_window, settings.io_window_seconds
    )


@contextlib.asynccontextmanager
async def _sender(
    settings: NotificationsSettings, policy: Policy, clock: Clock, infra: Infrastructure
) -> AsyncIterator[None]:
    """The sender loop. At shutdown the round in progress finishes and is recorded; past the
    timeout it is cut short and its messages stay `sending` (never resent: at most once)."""
    async with (
        httpx.AsyncClient(timeout=settings.sms_timeout_seconds) as sms_http,
        httpx.AsyncClient(timeout=settings.io_timeout_seconds) as io_http,
    ):
        logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per SMS or IO request otherwise
        listener = Listener(plain_dsn(settings.database_url), channel=DELIVERY_CHANNEL)
        courier = _courier(settings, policy, clock, infra, sms_http, io_http, listener)
        sender = asyncio.create_task(courier.run(), name="notifications-sender")
        try:
            yield
        finally:
            courier.stop()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(sender), settings.smtp_timeout_seconds + 5)
            sender.cancel()
            await asyncio.gather(sender, return_exceptions=True)
            await listener.close()


@contextlib.asynccontextmanager
async def _reminders(
    settings: NotificationsSettings, policy: Policy, clock: Clock, infra: Infrastructure
) -> AsyncIterator[None]:
    """The daily reminder schedule (off when `reminder_interval_seconds` is 0)."""
    if settings.reminder_interval_seconds <= 0:
        yield
        return
    daily = run_daily(
        lambda now: remind_debtors(infra.unit_of_work(), policy, now),
        clock,
        settings.reminder_hour,
        settings.zone,
        settings.reminder_interval_seconds,
    )
    schedule = asyncio.create_task(daily, name="notifications-reminders")
    try:
        yield
    finally:
        schedule.cancel()
        await asyncio.gather(schedule, return_exceptions=True)
