"""The changes of the notices that ACA must learn, in PostgreSQL (SQLAlchemy Core on the unit of
work's connection); `queue` wakes the sender (`NOTIFY aca_change`, delivered at commit)."""

from __future__ import annotations

import zlib
from datetime import datetime
from typing import Any

from sqlalchemy import Row, and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncConnection

from payments.adapters.tables import aca_change
from payments.domain.aca import AcaBacklog, AcaStatus, Attempt, Change, NoticeChange, QueuedChange, Registration

CHANNEL = "aca_change"
_SENDER_LOCK = zlib.crc32(b"payments:aca-sender")
_c = aca_change.c
_STATUS = (_c.change, _c.state, _c.attempts, _c.queued_at, _c.answer, _c.answered_at, _c.next_attempt_at)
_UNSETTLED = (Registration.PENDING.value, Registration.FAILED.value)


class SqlAcaChanges:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def queue(self, change: NoticeChange) -> AcaStatus:
        values = {"notice_number": change.notice_number, "change": change.change.value, "position": change.position}
        query = aca_change.insert().values(**values).returning(*_STATUS)
        row = (await self._connection.execute(query)).one()
        await self._connection.execute(select(func.pg_notify(CHANNEL, "")))
        return _status(row)

    async def lock_sender(self) -> bool:
        return bool(await self._connection.scalar(select(func.pg_try_advisory_xact_lock(_SENDER_LOCK))))

    async def due(self, now: datetime, limit: int) -> list[QueuedChange]:
        latest = (
            select(_c.id, _c.notice_number, _c.change, _c.position, _c.attempts, _c.next_attempt_at)
            .where(_c.state == Registration.PENDING.value)
            .ext(distinct_on(_c.notice_number))
            .order_by(_c.notice_number, _c.id.desc())
            .subquery()
        )
        rows = (
            await self._connection.execute(
                select(latest).where(latest.c.next_attempt_at <= now).order_by(latest.c.id).limit(limit)
            )
        ).all()
        due = [QueuedChange(r.id, r.notice_number, Change(r.change), r.position, r.attempts) for r in rows]
        await self._supersede_older(due)
        return due

    async def _supersede_older(self, due: list[QueuedChange]) -> None:
        if not due:
            return
        older = [and_(_c.notice_number == c.notice_number, _c.id < c.id) for c in due]
        await self._connection.execute(
            update(aca_change)
            .where(_c.state == Registration.PENDING.value, or_(*older))
            .values(state=Registration.SUPERSEDED.value)
        )

    async def record(self, change_id: int, attempt: Attempt) -> None:
        values: dict[str, Any] = {
            "state": attempt.state.value,
            "attempts": attempt.attempts,
            "answer": attempt.answer,
            "answered_at": attempt.at,
        }
        if attempt.next_attempt_at is not None:
            values["next_attempt_at"] = attempt.next_attempt_at
        await self._connection.execute(update(aca_change).where(_c.id == change_id).values(**values))

    async def status(self, notice_number: str) -> AcaStatus | None:
        query = select(*_STATUS).where(_c.notice_number == notice_number).order_by(_c.id.desc()).limit(1)
        row = (await self._connection.execute(query)).first()
        return _status(row) if row else None

    async def backlog(self, state: Registration | None, limit: int) -> AcaBacklog:
        latest = (
            select(_c.notice_number, *_STATUS)
            .where(_c.notice_number.in_(select(_c.notice_number).where(_c.state.in_(_UNSETTLED))))
            .ext(distinct_on(_c.notice_number))
            .order_by(_c.notice_number, _c.id.desc())
            .subquery()
        )
        query = select(latest).where(latest.c.state.in_(_UNSETTLED)).order_by(latest.c.queued_at)
        rows = (await self._connection.execute(query)).all()
        pending = [r for r in rows if r.state == Registration.PENDING.value]
        chosen = [r for r in rows if state is None or r.state == state.value]
        return AcaBacklog(
            pending=len(pending),
            failed=len(rows) - len(pending),
            oldest_pending_at=pending[0].queued_at if pending else None,
            items=[(r.notice_number, _status(r[1:])) for r in chosen[:limit]],
        )

    async def retry_failed(self, notice_number: str, now: datetime) -> AcaStatus | None:
        latest = select(func.max(_c.id)).where(_c.notice_number == notice_number).scalar_subquery()
        await self._connection.execute(
            update(aca_change)
            .where(_c.id == latest, _c.state == Registration.FAILED.value)
            .values(state=Registration.PENDING.value, next_attempt_at=now)
        )
        await self._connection.execute(select(func.pg_notify(CHANNEL, "")))
        return await self.status(notice_number)


def _status(row: Row[Any] | tuple[Any, ...]) -> AcaStatus:  # the columns of _STATUS
    change, state, attempts, queued_at, answer, answered_at, next_attempt_at = tuple(row)
    retry_at = next_attempt_at if state == Registration.PENDING.value else None
    return AcaStatus(Change(change), Registration(state), attempts, queued_at, answer, answered_at, retry_at)
