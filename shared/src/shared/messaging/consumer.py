"""How every consumer handles a batch of Kafka records: parse, apply, dead-letter, retry, ack.

The rules, in order:
- a record that cannot be parsed, or whose type/version the consumer does not accept, goes to
  `<topic>.dlq` at once, with the reason in its headers;
- the parsed records are applied together (one transaction in the handler);
- a transient error (database or broker unreachable, out of connections or disk, read-only
  after a failover, a statement timeout, a serialization failure) is retried with backoff, as
  long as it takes: nothing is dropped and nothing after it is committed;
- so the handler never raises (but for cancellation at shutdown, when nothing is committed):
  with manual acks, a raised error would let a later ack commit past an unapplied record;
- a permanent error in a batch is isolated by applying the records one by one: the poison ones
  go to the dead-letter topic, the others are applied;
- an unexpected error is retried a few times, then treated as permanent (dead-lettered, never
  lost: the dead-letter topic keeps the original bytes); transient errors before it do not
  count towards those few times;
- only then is the offset committed (`msg.ack()`), after the database commits.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import asyncpg
from aiokafka import ConsumerRecord
from faststream.kafka import KafkaMessage
from faststream.middlewares import AckPolicy
from opentelemetry import trace
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from shared.backoff import backoff
from shared.errors import RefettorioError
from shared.events import Envelope, Event, UnknownEventVersion, parse_envelope
from shared.metrics import BATCH_RECORDS, BATCH_SECONDS, DEAD_LETTERS
from shared.tracing import context_of, tracer
from shared.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

# Set on every subscriber: commit only after the handler committed, start from the beginning.
SAFE_SUBSCRIBER: dict[str, Any] = {
    "ack_policy": AckPolicy.MANUAL,
    "auto_offset_reset": "earliest",
    "batch": True,
}

E = TypeVar("E", bound=Event)
U = TypeVar("U", bound=UnitOfWork)
BatchHandler = Callable[[Sequence[Envelope[E]]], Awaitable[None]]


@dataclass(frozen=True)
class Rule(Generic[E, U]):
    """`when <event>, <do something>`: one consumer of one topic, applied exactly once in effect.

    `name` makes the inbox key `<service>.<name>` (and the label of its batches' metrics and
    spans). A service's quiet rules share one Kafka consumer, in the group `<service>`
    (`dispatch`): a rule added on a topic the group did not read starts from the topic's
    beginning, a renamed rule (a new inbox key) goes on from the group's offsets. A `busy` rule
    (a topic with bursts the others do not have) keeps a consumer of its own, in the group
    `<service>.<name>`: aiokafka sends one fetch at a time to a broker, so a busy topic sharing a
    consumer would wait, each time its fetched records ran out, for the long poll of the quiet
    ones (`consumer_wait_ms`). `apply` is a
    function with a searchable name (`when_meal_consumed_charge_for_meal`); it receives the
    entered unit of work and the batch's events this consumer had never processed, and neither
    claims nor commits: `exactly_once` does both around it.
    """

    event: type[E]
    name: str
    apply: Callable[[U, Sequence[Envelope[E]]], Awaitable[None]]
    busy: bool = False


def exactly_once(rule: Rule[E, U], group: str, unit_of_work: Callable[[], U]) -> BatchHandler[E]:
    """The one consumer skeleton: claim the batch in the inbox, apply what is new, commit once."""

    async def apply(envelopes: Sequence[Envelope[E]]) -> None:
        async with unit_of_work() as uow:
            fresh = await uow.claim(group, [e.event_id for e in envelopes])
            new = list({e.event_id: e for e in envelopes if e.event_id in fresh}.values())  # once each, in order
            if new:
                await rule.apply(uow, new)
            await uow.commit()

    return apply


# Whole SQLSTATE classes that a later attempt can get past: connection exceptions (08),
# insufficient resources (53: disk full, out of memory, too many connections), operator
# intervention (57: statement timeout, admin or crash shutdown, cannot connect now).
_TRANSIENT_SQLSTATE_CLASSES = {"08", "53", "57"}
_TRANSIENT_SQLSTATES = {
    "40001",  # serialization_failure
    "40P01",  # deadlock_detected
    "40003",  # statement_completion_unknown
    "55P03",  # lock_not_available
    "25006",  # read_only_sql_transaction: a standby, right after a failover
    "58000",  # system_error
    "58030",  # io_error
}


class DeadLetterProducer(Protocol):
    async def send_and_wait(
        self, topic: str, value: bytes, *, key: bytes | None, headers: list[tuple[str, bytes]]
    ) -> Any: ...


def is_transient(error: BaseException) -> bool:
    if isinstance(error, RefettorioError):
        return not error.permanent
    if isinstance(error, OperationalError | InterfaceError | PoolTimeout | ConnectionError | OSError | TimeoutError):
        return True
    if isinstance(error, DBAPIError):
        if error.connection_invalidated or _is_client_state_error(error):
            return True
        sqlstate = str(sqlstate_of(error) or "")
        return sqlstate in _TRANSIENT_SQLSTATES or sqlstate[:2] in _TRANSIENT_SQLSTATE_CLASSES
    return False


def sqlstate_of(error: DBAPIError) -> str | None:
    """The SQLSTATE behind SQLAlchemy's wrapper (asyncpg's error is the adapted error's cause)."""
    orig = error.orig
    found = getattr(orig, "sqlstate", None) or getattr(getattr(orig, "__cause__", None), "sqlstate", None)
    return str(found) if found else None


def _is_client_state_error(error: DBAPIError) -> bool:
    """asyncpg's InternalClientError ("cannot switch to state 12; another operation is in
    progress"): a connection left mid-protocol by a server that went away; a new one works."""
    candidates = (error.orig, getattr(error.orig, "__cause__", None))
    return any(isinstance(e, asyncpg.exceptions.InternalClientError) for e in candidates)


def is_permanent(error: BaseException) -> bool:
    return isinstance(error, ValidationError | UnknownEventVersion) or (
        isinstance(error, RefettorioError) and error.permanent
    )


class BatchConsumer(Generic[E]):
    """Applies batches of one event type for one consumer group; see the module's rules."""

    def __init__(
        self,
        event_type: type[E],
        handle: BatchHandler[E],
        dead_letters: DeadLetterProducer,
        unexpected_attempts: int = 3,
        max_backoff: float = 5.0,
        group: str = "",
    ) -> None:
        self.event_type = event_type
        self.group = group or event_type.__name__
        self._handle = handle
        self._dead_letters = dead_letters
        self._unexpected_attempts = unexpected_attempts
        self._max_backoff = max_backoff

    async def __call__(self, msg: KafkaMessage) -> None:
        records = msg.raw_message if isinstance(msg.raw_message, tuple) else (msg.raw_message,)
        await self.consume(records)
        await msg.ack()

    async def consume(self, records: Sequence[ConsumerRecord[Any, Any]]) -> None:
        """Handles one batch (its span, its metrics); the caller acks the poll it came in."""
        started = time.perf_counter()
        with _span(self.group, records):
            await self._consume(records)
        BATCH_RECORDS.labels(self.group).observe(len(records))
        BATCH_SECONDS.labels(self.group).observe(time.perf_counter() - started)

    async def _consume(self, records: Sequence[ConsumerRecord[Any, Any]]) -> None:
        parsed: list[tuple[ConsumerRecord[Any, Any], Envelope[E]]] = []
        for record in records:
            try:
                parsed.append((record, parse_envelope(record.value, self.event_type)))
            except (ValidationError, UnknownEventVersion, ValueError) as error:
                await self._dead_letter(record, error)
        if not parsed:
            return
        try:
            await self._apply([envelope for _, envelope in parsed])
        except Exception as error:
            if len(parsed) == 1:
                await self._dead_letter(parsed[0][0], error)
                return
            for record, envelope in parsed:  # isolate the poison records, apply the others
                try:
                    await self._apply([envelope])
                except Exception as single_error:
                    await self._dead_letter(record, single_error)

    async def _apply(self, envelopes: Sequence[Envelope[E]]) -> None:
        """Retries transient errors without end and unexpected ones a few times; raises the rest.

        The two are counted apart: a long outage (many transient errors) leaves the unexpected
        error that may follow its full few attempts.
        """
        transient = unexpected = 0
        while True:
            try:
                await self._handle(envelopes)
                return
            except Exception as error:
                if is_permanent(error):
                    raise
                if is_transient(error):
                    transient += 1
                else:
                    unexpected += 1
                    if unexpected >= self._unexpected_attempts:
                        raise _Exhausted(error) from error
                delay = backoff(transient + unexpected, cap=self._max_backoff)
                log.warning(
                    "consumer will retry",
                    extra={
                        "event_type": self.event_type.__name__,
                        "attempt": transient + unexpected,
                        "error": repr(error),
                        "delay": delay,
                    },
                )
                await asyncio.sleep(delay)

    async def _dead_letter(self, record: ConsumerRecord[Any, Any], error: BaseException) -> None:
        reason = error.error if isinstance(error, _Exhausted) else error
        headers = [
            ("error", _error_text(reason).encode()),
            ("error_type", type(reason).__name__.encode()),
            ("original_topic", record.topic.encode()),
            ("original_partition", str(record.partition).encode()),
            ("original_offset", str(record.offset).encode()),
        ]
        DEAD_LETTERS.labels(record.topic).inc()
        log.error(
            "message dead-lettered",
            extra={
                "topic": record.topic,
                "partition": record.partition,
                "offset": record.offset,
                "error_type": type(reason).__name__,
            },
        )
        attempt = 0
        while True:  # the offset must not move on before the dead letter is safely stored
            try:
                await self._dead_letters.send_and_wait(
                    f"{record.topic}.dlq", record.value, key=record.key, headers=headers
                )
                return
            except Exception as send_error:
                attempt += 1
                log.warning(
                    "dead-letter publish failed, will retry", extra={"error": repr(send_error), "attempt": attempt}
                )
                await asyncio.sleep(backoff(attempt, base=0.1, cap=self._max_backoff))


def _span(group: str, records: Sequence[ConsumerRecord[Any, Any]]) -> Any:
    """A batch's span: it continues the trace of the batch's first record and links the others."""
    contexts = [context_of(r.headers) for r in records]
    links = [
        trace.Link(linked) for c in contexts[1:] if (linked := trace.get_current_span(c).get_span_context()).is_valid
    ]
    return tracer.start_as_current_span(
        f"{group} apply",
        context=contexts[0] if contexts else None,
        kind=trace.SpanKind.CONSUMER,
        links=links,
        attributes={"messaging.system": "kafka", "messaging.batch.message_count": len(records)},
    )


class _Exhausted(Exception):
    def __init__(self, error: BaseException) -> None:
        super().__init__(repr(error))
        self.error = error


def _error_text(error: BaseException) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())[:1000]
    return (getattr(error, "message", None) or str(error) or type(error).__name__)[:1000]
