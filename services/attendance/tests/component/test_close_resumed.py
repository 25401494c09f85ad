"""A close that dies halfway leaves nothing behind; the next close does the whole work, once."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from attendance.adapters.sql_unit_of_work import SqlAttendanceUnitOfWork
from attendance.handlers.close_day import CloseDay, close_day
from shared.db import make_engine
from testkit.infra import Infra

from .conftest import DAY

Helper = Callable[..., Awaitable[Any]]  # fixtures of conftest.py


class Crash(Exception):
    pass


class CrashingUnitOfWork(SqlAttendanceUnitOfWork):
    """Dies where a process killed during the close would: everything written, nothing committed."""

    async def commit(self) -> None:
        raise Crash


async def test_a_close_killed_halfway_then_resumed_charges_one_set(
    attendance: httpx.AsyncClient, make_school: Helper, meal_events: Helper, infra: Infra, topic_prefix: str
) -> None:
    school = await make_school({"1A": 3})
    engine = make_engine(infra.database_urls["attendance"], pool_size=1)
    try:
        crashing = CrashingUnitOfWork(engine, "attendance", topic_prefix)
        with pytest.raises(Crash):
            await close_day(crashing, CloseDay(school.id, DAY, "terminal:crashed", datetime.now(UTC)))
    finally:
        await engine.dispose()

    assert (await attendance.get(f"{school.office_day()}/kitchen")).json()["final"] is False
    resumed = await attendance.post(f"{school.day()}/close", headers=school.terminal)
    assert resumed.json()["meals"] == 3 and resumed.json()["already_closed"] is False
    consumed = await meal_events("meal-consumed", school.classes["1A"], expect=3)
    assert sorted(m["student_id"] for m in consumed) == sorted(school.classes["1A"])
