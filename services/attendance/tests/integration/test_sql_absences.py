"""The absences repository on PostgreSQL: the last post of a class wins, even for a child who
changed class (or school) during the day."""

import uuid
from collections.abc import AsyncIterator
from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from attendance.adapters.sql_unit_of_work import SqlAttendanceUnitOfWork
from attendance.bootstrap import MIGRATIONS
from attendance.domain.absences import AbsencePost
from shared.db import make_engine
from shared.migrations import upgrade_to_head
from testkit.databases import scratch_database
from testkit.infra import Infra

DAY = date(2026, 11, 25)


@pytest.fixture
async def engine(infra: Infra) -> AsyncIterator[AsyncEngine]:
    async with scratch_database(infra.database_urls["attendance"], "attendance_absences") as url:
        await upgrade_to_head(MIGRATIONS, url)
        engine = make_engine(url, pool_size=1)
        yield engine
        await engine.dispose()


async def test_a_child_who_changed_class_is_absent_where_the_last_post_says(engine: AsyncEngine) -> None:
    moved, stays = uuid.uuid4(), uuid.uuid4()
    posts = [
        AbsencePost("s1", "1A", DAY, frozenset({moved, stays}), "terminal:a"),
        AbsencePost("s1", "1B", DAY, frozenset({moved}), "terminal:a"),  # moved to 1B during the morning
        AbsencePost("s2", "3C", DAY, frozenset({moved}), "terminal:b"),  # then to another school
    ]
    seen = []
    for post in posts:
        async with SqlAttendanceUnitOfWork(engine, "attendance") as uow:
            await uow.absences.post(post)
            seen.append(await uow.absences.absent(DAY, ["s1", "s2"]))
            await uow.commit()
    assert seen == [
        {("s1", moved), ("s1", stays)},
        {("s1", moved), ("s1", stays)},
        {("s2", moved), ("s1", stays)},
    ]
