import asyncio
import contextlib
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from notifications.handlers.schedule import due, run_daily

ROME = ZoneInfo("Europe/Rome")


def test_the_reminders_are_due_from_their_hour_until_midnight() -> None:
    assert not due(datetime(2026, 11, 25, 8, 59, tzinfo=ROME), 9, ROME)
    assert due(datetime(2026, 11, 25, 9, 0, tzinfo=ROME), 9, ROME)
    assert due(datetime(2026, 11, 25, 23, 59, tzinfo=ROME), 9, ROME)


async def test_the_schedule_runs_the_job_only_when_due_and_survives_its_failures() -> None:
    now = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)  # 08:00 in Rome
    runs: list[datetime] = []

    async def job(at: datetime) -> int:
        runs.append(at)
        raise RuntimeError("database down")

    task = asyncio.create_task(run_daily(job, lambda: now, 9, ROME, interval=0.01))
    await asyncio.sleep(0.05)
    assert runs == []
    now = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)
    await asyncio.sleep(0.05)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    assert len(runs) >= 2 and runs[0] == now
