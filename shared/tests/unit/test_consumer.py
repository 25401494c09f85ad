"""`BatchConsumer.consume` without a broker: what is retried, what is dead-lettered, and when."""

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

import asyncpg
import pytest
from aiokafka import ConsumerRecord
from prometheus_client import REGISTRY
from sqlalchemy.exc import DBAPIError

from shared.errors import PermanentError
from shared.events import Envelope, MealConsumed
from shared.messaging.consumer import BatchConsumer, is_transient


class FakeDeadLetters:
    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes, dict[str, bytes]]] = []

    async def send_and_wait(
        self, topic: str, value: bytes, *, key: bytes | None, headers: list[tuple[str, bytes]]
    ) -> None:
        self.sent.append((topic, value, dict(headers)))


class PgError(Exception):
    """What asyncpg raises, as far as the classification looks: a SQLSTATE."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"SQLSTATE {sqlstate}")
        self.sqlstate = sqlstate


def database_error(sqlstate: str) -> DBAPIError:
    return DBAPIError("INSERT ...", {}, PgError(sqlstate))


def meal_record(offset: int, meal_type: str = "lunch") -> ConsumerRecord[Any, Any]:
    envelope = Envelope.wrap(
        MealConsumed(
            meal_id=uuid.uuid4(),
            student_id=uuid.uuid4(),
            account_id=uuid.uuid4(),
            school_id="s",
            class_id="c",
            service_date=date(2026, 11, 25),
            meal_type=meal_type,
        ),
        producer="test",
    )
    return ConsumerRecord("meal-consumed", 0, offset, 0, 0, b"k", envelope.to_json(), None, 1, 1, ())


class Flaky:
    """A handler that raises the given errors, one per call, then applies."""

    def __init__(self, *errors: BaseException) -> None:
        self.errors = list(errors)
        self.applied: list[uuid.UUID] = []
        self.calls = 0

    async def __call__(self, envelopes: Sequence[Envelope[MealConsumed]]) -> None:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        for envelope in envelopes:
            if envelope.data.meal_type == "poison":
                raise PermanentError("pasto non valido")
        self.applied += [e.event_id for e in envelopes]


def consumer(handle: Flaky, dead_letters: FakeDeadLetters) -> BatchConsumer[MealConsumed]:
    return BatchConsumer(MealConsumed, handle, dead_letters, unexpected_attempts=3, max_backoff=0.001)


@pytest.mark.parametrize(
    "sqlstate",
    ["53300", "53100", "53200", "25006", "57014", "57P01", "57P03", "08006", "40001", "40P01", "55P03"],
)
async def test_a_transient_database_error_is_retried_past_any_attempt_count(sqlstate: str) -> None:
    handle, dead = Flaky(*(database_error(sqlstate) for _ in range(8))), FakeDeadLetters()
    await consumer(handle, dead).consume([meal_record(0)])
    assert (len(handle.applied), handle.calls, dead.sent) == (1, 9, [])


def test_asyncpg_losing_track_of_its_protocol_state_is_transient() -> None:
    cause = asyncpg.exceptions.InternalClientError("cannot switch to state 12; another operation is in progress")
    wrapped = Exception("adapted")
    wrapped.__cause__ = cause
    assert is_transient(DBAPIError("SELECT 1", {}, wrapped))
    assert is_transient(DBAPIError("SELECT 1", {}, cause))


@pytest.mark.parametrize("sqlstate", ["23505", "22003", "42P01", "XX000"])
def test_errors_that_a_retry_cannot_fix_are_not_transient(sqlstate: str) -> None:
    assert not is_transient(database_error(sqlstate))


async def test_a_long_outage_leaves_an_unexpected_error_its_own_attempts() -> None:
    outage = [database_error("57P03") for _ in range(20)]
    handle, dead = Flaky(*outage, RuntimeError("odd"), RuntimeError("odd")), FakeDeadLetters()
    await consumer(handle, dead).consume([meal_record(0), meal_record(1)])
    assert (len(handle.applied), dead.sent) == (2, [])


async def test_an_error_that_stays_unexpected_dead_letters_the_record_with_its_reason() -> None:
    handle, dead = Flaky(*(RuntimeError("odd") for _ in range(3))), FakeDeadLetters()
    record = meal_record(7)
    await consumer(handle, dead).consume([record])
    [(topic, value, headers)] = dead.sent
    assert (topic, value, headers["error"], headers["original_offset"]) == (
        "meal-consumed.dlq",
        record.value,
        b"odd",
        b"7",
    )
    assert handle.applied == []


async def test_poison_is_isolated_and_the_rest_of_the_batch_applied() -> None:
    handle, dead = Flaky(), FakeDeadLetters()
    unreadable = ConsumerRecord("meal-consumed", 0, 2, 0, 0, b"k", b"{not json", None, 1, 1, ())
    await consumer(handle, dead).consume([meal_record(0), meal_record(1, "poison"), unreadable])
    assert len(handle.applied) == 1
    assert sorted(h["original_offset"] for _, _, h in dead.sent) == [b"1", b"2"]


async def test_dead_letters_are_counted_per_topic() -> None:
    before = REGISTRY.get_sample_value("refettorio_dead_letters_total", {"topic": "meal-consumed"}) or 0.0
    await consumer(Flaky(), FakeDeadLetters()).consume([meal_record(0, "poison")])
    assert REGISTRY.get_sample_value("refettorio_dead_letters_total", {"topic": "meal-consumed"}) == before + 1
