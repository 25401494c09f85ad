"""The sender loop: delivers the waiting messages of the delivery log, with retries.

At most once. A message is marked `sending` (attempts + 1) and committed *before* the SMTP or
HTTP call; its outcome is recorded after. A process that dies in between leaves it `sending`:
after `stale_after` (longer than any send can take) it becomes `failed` with an unknown outcome
and is never resent. A family may miss one alert in that rare case, but is never charged twice
for an SMS nor told twice that it is in debt; the office sees the failure in the log.
What each step makes of a message is `domain.sending`; this module runs the rounds: one
transaction claims a batch, the sends run outside any transaction, one more records them all.
Replicas share the work with `FOR UPDATE SKIP LOCKED`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from notifications.domain.delivery import WAITING, State, family_name
from notifications.domain.exceptions import DeliveryFailed
from notifications.domain.io import io_message
from notifications.domain.policy import Policy
from notifications.domain.sending import Due, Outgoing, Transition, after_send, next_step, unrenderable
from notifications.handlers.ports import Clock, EmailSender, IoSender, NotificationsUnitOfWork, Renderer, SmsSender
from shared.backoff import backoff
from shared.messaging.wakeup import Timer, Wakeup, idle

log = logging.getLogger(__name__)

Outcome = tuple[Outgoing, BaseException | str | None]


class Courier:
    def __init__(
        self,
        unit_of_work: Callable[[], NotificationsUnitOfWork],
        email: EmailSender,
        sms: SmsSender,
        io: IoSender,
        renderer: Renderer,
        policy: Policy,
        clock: Clock,
        batch_size: int = 50,
        idle_seconds: float = 0.5,
        stale_after: timedelta = timedelta(minutes=10),
        wakeup: Wakeup | None = None,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._email, self._sms, self._io, self._renderer = email, sms, io, renderer
        self._policy, self._clock = policy, clock
        self._batch_size, self._idle_seconds, self._stale_after = batch_size, idle_seconds, stale_after
        self._stopping = asyncio.Event()
        self._wakeup = wakeup or Timer()  # new entries wake the loop; `idle_seconds` is its fallback

    def stop(self) -> None:
        """Asks `run` to return once the round in progress is recorded (no message left `sending`)."""
        self._stopping.set()

    async def run(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            self._wakeup.clear()  # an entry committed from now on wakes the idle wait below
            try:
                handled = await self.deliver_due()
                failures = 0
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the rows stay where they were; try again later
                failures += 1
                log.warning("sender failed, will retry", extra={"error": repr(error), "failures": failures})
                await self._pause(backoff(failures, base=0.1))
                continue
            if handled < self._batch_size:
                await self._idle()

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    async def _idle(self) -> None:
        """Until new entries wake the sender, `stop()` is called, or `idle_seconds` passed (due
        retries and the end of quiet hours are found by that poll)."""
        await idle(self._wakeup, self._stopping, self._idle_seconds)

    async def deliver_due(self) -> int:
        """One round: claims up to a batch of due messages, sends them, records the outcomes."""
        outgoing, handled = await self._claim(self._clock())
        results = await asyncio.gather(*(self._send(m) for m in outgoing), return_exceptions=True)
        await self._record(list(zip(outgoing, results, strict=True)))
        return handled

    async def _claim(self, now: datetime) -> tuple[list[Outgoing], int]:
        """Moves every due message on, and commits the ones to send as `sending` before they leave."""
        async with self._unit_of_work() as uow:
            abandoned = await uow.deliveries.abandon_stale(now - self._stale_after)
            if abandoned:
                log.error("messages interrupted while sending, not resent", extra={"count": abandoned})
            due = await uow.deliveries.lock_due(now, self._batch_size)
            names = await uow.enrolments.surnames({d.account_id for d in due})
            steps = [self._prepare(d, family_name(names.get(d.account_id, [])), now) for d in due]
            await uow.deliveries.move([transition for transition, _ in steps], WAITING)
            await uow.commit()
        return [message for _, message in steps if message is not None], len(due)

    def _prepare(self, due: Due, family: str, now: datetime) -> tuple[Transition, Outgoing | None]:
        """The message's next state and, when it is to be sent now, the rendered message."""
        step = next_step(due, now, self._policy.quiet_hours, self._policy.retries)
        if step.state is not State.SENDING or step.recipient is None:
            return step, None
        try:
            subject, body = self._renderer.render(due.rule, due.channel, family, due.params)
            io = io_message(due.rule, subject, body, due.params, self._policy.zone) if due.channel == "io" else None
        except Exception as error:  # a template or its params are broken: retrying cannot help
            return unrenderable(due, error), None
        return step, Outgoing(due.id, due.channel, step.recipient, step.attempts, subject, body, io)

    async def _send(self, message: Outgoing) -> str | None:
        if message.channel == "email":
            return await self._email.send_email(
                message.recipient, message.subject, message.body, f"<delivery-{message.id}@refettorio.local>"
            )
        if message.channel == "sms":
            return await self._sms.send_sms(message.recipient, message.body)
        if message.channel == "io" and message.io is not None:
            return await self._io.send_io(message.recipient, message.io)
        raise DeliveryFailed(f"canale sconosciuto: {message.channel}", retryable=False)

    async def _record(self, outcomes: Sequence[Outcome]) -> None:
        if not outcomes:
            return
        for _, result in outcomes:
            if isinstance(result, BaseException) and not isinstance(result, DeliveryFailed):
                log.warning("unexpected sender error", extra={"error_type": type(result).__name__})
        for attempt in range(5):  # the messages left already: recording must not give up easily
            try:
                await self._record_once(outcomes)
                return
            except Exception as error:
                log.warning("could not record deliveries, will retry", extra={"error": repr(error)})
                await asyncio.sleep(backoff(attempt, base=0.2))
        log.error("deliveries not recorded: they will be failed as interrupted", extra={"count": len(outcomes)})

    async def _record_once(self, outcomes: Sequence[Outcome]) -> None:
        now = self._clock()
        transitions = [after_send(message, result, now, self._policy.retries) for message, result in outcomes]
        async with self._unit_of_work() as uow:
            await uow.deliveries.move(transitions, (State.SENDING,))
            await uow.commit()
        sent = sum(t.state is State.SENT for t in transitions)
        failed = sum(t.state is State.FAILED for t in transitions)
        log.info("deliveries recorded", extra={"sent": sent, "failed": failed, "total": len(outcomes)})
