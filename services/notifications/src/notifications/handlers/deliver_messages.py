"""The sender loop: delivers the waiting messages of the delivery log, with retries.

At most once. A message is marked `sending` (attempts + 1) and committed *before* the SMTP or
HTTP call; its outcome is recorded after. A process that dies in between leaves it `sending`:
after `stale_after` (longer than any send can take) it becomes `failed` with an unknown outcome
and is never resent. A family may miss one alert in that rare case, but is never charged twice
for an SMS nor told twice that it is in debt; the office sees the failure in the log.
Retries (with exponential backoff) happen only when the provider certainly did not take the
message. Opt-outs and quiet hours are checked again at sending time, so a refusal recorded after
the message was queued still holds. Replicas share the work with `FOR UPDATE SKIP LOCKED`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import RowMapping

from notifications.adapters import delivery_log
from notifications.domain.delivery import ContactCard, State, family_name
from notifications.domain.policy import Policy
from notifications.handlers.ports import Clock, DeliveryFailed, EmailSender, Renderer, SmsSender
from shared.db import SqlUnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outgoing:
    id: int
    rule: str
    channel: str
    recipient: str
    attempts: int
    subject: str
    body: str


class Courier:
    def __init__(
        self,
        unit_of_work: Callable[[], SqlUnitOfWork],
        email: EmailSender,
        sms: SmsSender,
        renderer: Renderer,
        policy: Policy,
        clock: Clock,
        batch_size: int = 50,
        idle_seconds: float = 0.5,
        stale_after: timedelta = timedelta(minutes=10),
    ) -> None:
        self._unit_of_work = unit_of_work
        self._email, self._sms, self._renderer = email, sms, renderer
        self._policy, self._clock = policy, clock
        self._batch_size, self._idle_seconds, self._stale_after = batch_size, idle_seconds, stale_after
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        """Asks `run` to return once the round in progress is recorded (no message left `sending`)."""
        self._stopping.set()

    async def run(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            try:
                handled = await self.deliver_due()
                failures = 0
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the rows stay where they were; try again later
                failures += 1
                log.warning("sender failed, will retry", extra={"error": repr(error), "failures": failures})
                await self._pause(min(0.1 * 2**failures, 5.0))
                continue
            if handled < self._batch_size:
                await self._pause(self._idle_seconds)

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    async def deliver_due(self) -> int:
        """One round: claims up to a batch of due messages, sends them, records the outcomes."""
        outgoing, handled = await self._claim(self._clock())
        results = await asyncio.gather(*(self._send(m) for m in outgoing), return_exceptions=True)
        await self._record(list(zip(outgoing, results, strict=True)))
        return handled

    async def _claim(self, now: datetime) -> tuple[list[Outgoing], int]:
        async with self._unit_of_work() as uow:
            conn = uow.connection
            abandoned = await delivery_log.abandon_stale(conn, now - self._stale_after)
            if abandoned:
                log.error("messages interrupted while sending, not resent", extra={"count": abandoned})
            rows = await delivery_log.lock_due(conn, now, self._batch_size)
            names = await delivery_log.surnames(conn, {r["account_id"] for r in rows})
            outgoing = []
            for row in rows:
                values, message = self._prepare(row, family_name(names.get(row["account_id"], [])), now)
                if message is not None:
                    outgoing.append(message)
                await delivery_log.change(conn, row["id"], **values)
            await uow.commit()
        return outgoing, len(rows)

    def _prepare(self, row: RowMapping, family: str, now: datetime) -> tuple[dict[str, Any], Outgoing | None]:
        """The row's next state and, when it is to be sent now, the rendered message."""
        values = self._decide(row, now)
        if values["state"] != State.SENDING:
            return values, None
        try:
            subject, body = self._renderer.render(row["rule"], row["channel"], family, row["params"])
        except Exception as error:  # a template or its params are broken: retrying cannot help
            return {"state": State.FAILED, "last_error": f"modello: {error!r}"[:500]}, None
        address, attempts = values["recipient"], values["attempts"]
        return values, Outgoing(row["id"], row["rule"], row["channel"], address, attempts, subject, body)

    def _decide(self, row: RowMapping, now: datetime) -> dict[str, Any]:
        channel = row["channel"]
        card = ContactCard(row["email"], row["phone"], row["email_opt_out"], row["sms_opt_out"])
        known = row["email_opt_out"] is not None
        if known and card.refused(channel):
            return {"state": State.SUPPRESSED_OPT_OUT}
        quiet = self._policy.quiet_hours
        if channel == "sms" and quiet.contains(now):
            return {"state": State.DEFERRED_QUIET_HOURS, "not_before": quiet.next_end(now)}
        attempts = row["attempts"] + 1
        address = card.address(channel) if known else None
        if address is None:  # the contact book may lag behind the event: look again later
            return self._retry_or_fail(row["rule"], attempts, "nessun recapito per questo canale", now)
        return {"state": State.SENDING, "attempts": attempts, "recipient": address, "sending_at": now}

    def _retry_or_fail(self, rule: str, attempts: int, reason: str, now: datetime) -> dict[str, Any]:
        retries = self._policy.retries
        if retries.exhausted(attempts):
            return {"state": State.FAILED, "attempts": attempts, "last_error": reason}
        later = now + retries.delay(attempts)
        return {"state": State.QUEUED, "attempts": attempts, "last_error": reason, "not_before": later}

    async def _send(self, message: Outgoing) -> str | None:
        if message.channel == "email":
            return await self._email.send_email(
                message.recipient, message.subject, message.body, f"<delivery-{message.id}@refettorio.local>"
            )
        return await self._sms.send_sms(message.recipient, message.body)

    async def _record(self, outcomes: Sequence[tuple[Outgoing, BaseException | str | None]]) -> None:
        if not outcomes:
            return
        for attempt in range(5):  # the messages left already: recording must not give up easily
            try:
                await self._record_once(outcomes)
                return
            except Exception as error:
                log.warning("could not record deliveries, will retry", extra={"error": repr(error)})
                await asyncio.sleep(0.2 * 2**attempt)
        log.error("deliveries not recorded: they will be failed as interrupted", extra={"count": len(outcomes)})

    async def _record_once(self, outcomes: Sequence[tuple[Outgoing, BaseException | str | None]]) -> None:
        now = self._clock()
        sent = failed = 0
        async with self._unit_of_work() as uow:
            for message, result in outcomes:
                if not isinstance(result, BaseException):
                    values = {"state": State.SENT, "sent_at": now, "provider_id": result, "last_error": None}
                    sent += 1
                elif isinstance(result, DeliveryFailed) and result.retryable:
                    values = self._retry_or_fail(message.rule, message.attempts, result.reason, now)
                else:
                    if not isinstance(result, DeliveryFailed):
                        log.warning("unexpected sender error", extra={"error_type": type(result).__name__})
                    reason = result.reason if isinstance(result, DeliveryFailed) else f"esito sconosciuto: {result!r}"
                    values = {"state": State.FAILED, "last_error": reason[:500]}
                failed += values["state"] == State.FAILED
                await delivery_log.change(uow.connection, message.id, expected=State.SENDING, **values)
            await uow.commit()
        log.info("deliveries recorded", extra={"sent": sent, "failed": failed, "total": len(outcomes)})
