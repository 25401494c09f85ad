import asyncio
import uuid

from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db import SqlUnitOfWork
from testkit import inbox


async def _apply_once(engine: AsyncEngine, consumer: str, event_id: uuid.UUID, applied: Table) -> bool:
    async with SqlUnitOfWork(engine, producer="test") as uow:
        fresh = await uow.claim(consumer, [event_id])
        if fresh:
            await uow.connection.execute(applied.insert().values(event_id=event_id))
        await asyncio.sleep(0.01)  # widen the race window
        await uow.commit()
        return bool(fresh)


async def test_twenty_concurrent_claims_apply_the_effect_once(
    engine: AsyncEngine, unique: str, applied_table: Table
) -> None:
    event_id = uuid.uuid4()
    results = await asyncio.gather(*(_apply_once(engine, f"c-{unique}", event_id, applied_table) for _ in range(20)))
    assert results.count(True) == 1
    async with engine.connect() as conn:
        assert await conn.scalar(select(func.count()).where(applied_table.c.event_id == event_id)) == 1


async def test_a_rolled_back_claim_leaves_no_trace(engine: AsyncEngine, unique: str, applied_table: Table) -> None:
    event_id = uuid.uuid4()
    async with SqlUnitOfWork(engine, producer="test") as uow:
        assert await uow.claim(f"c-{unique}", [event_id]) == {event_id}
        # leaving without commit: the effect failed, so the event was not processed
    async with engine.connect() as conn:
        assert not await inbox.processed(conn, f"c-{unique}", event_id)
    assert await _apply_once(engine, f"c-{unique}", event_id, applied_table)


async def test_a_batch_claim_returns_only_new_ids_and_consumers_are_independent(
    engine: AsyncEngine, unique: str, applied_table: Table
) -> None:
    old, new = uuid.uuid4(), uuid.uuid4()
    async with SqlUnitOfWork(engine, producer="test") as uow:
        await uow.claim(f"a-{unique}", [old])
        await uow.commit()
    async with SqlUnitOfWork(engine, producer="test") as uow:
        assert await uow.claim(f"a-{unique}", [old, new, new]) == {new}
        assert await uow.claim(f"b-{unique}", [old]) == {old}
        await uow.commit()
