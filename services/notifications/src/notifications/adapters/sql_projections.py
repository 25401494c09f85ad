"""The projections the rules read, on PostgreSQL: the contact book, the enrolments, the balances.

Each is the last state an event stream says: a row per key, written with an upsert (the last
change wins; events of one key arrive in order).
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Table, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from notifications.adapters.tables import balance, contact, enrolment
from notifications.domain.audience import Audience
from notifications.domain.delivery import ContactCard
from notifications.domain.rules import BalanceState
from shared.events import ContactsChanged, StudentEnrolled

CARD = tuple(contact.c[f.name] for f in dataclasses.fields(ContactCard))  # the columns of a card


def card(row: Row[Any]) -> ContactCard:
    return ContactCard(*(getattr(row, f.name) for f in dataclasses.fields(ContactCard)))


async def _upsert(conn: AsyncConnection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Inserts the rows, or overwrites every column of the ones already there (by primary key)."""
    if not rows:
        return
    statement = insert(table).values(list(rows))
    key = [column.name for column in table.primary_key]
    changed = {c.name: statement.excluded[c.name] for c in table.columns if c.name not in key}
    await conn.execute(statement.on_conflict_do_update(index_elements=key, set_=changed))


class SqlContactBook:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def save(self, changes: Sequence[ContactsChanged]) -> None:
        # `updated_at` is left out of the rows: its default, now(), is what the upsert writes.
        await _upsert(self._conn, contact, [change.model_dump() for change in changes])

    async def cards(self, account_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, ContactCard]:
        if not account_ids:
            return {}
        rows = await self._conn.execute(
            select(contact.c.account_id, *CARD).where(contact.c.account_id.in_(list(account_ids)))
        )
        return {r.account_id: card(r) for r in rows}


class SqlEnrolments:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def save(self, enrolments: Sequence[StudentEnrolled]) -> None:
        names = [column.name for column in enrolment.columns]
        await _upsert(self._conn, enrolment, [{name: getattr(e, name) for name in names} for e in enrolments])

    async def surnames(self, account_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
        found: dict[uuid.UUID, list[str]] = {}
        if account_ids:
            query = select(enrolment.c.account_id, enrolment.c.last_name).where(
                enrolment.c.account_id.in_(list(account_ids))
            )
            for row in await self._conn.execute(query):
                found.setdefault(row.account_id, []).append(row.last_name)
        return found

    async def families_in(self, audience: Audience, school_year: str) -> list[uuid.UUID]:
        if not audience.enrolled:
            return []
        e = enrolment.c
        query = select(e.account_id).where(e.school_year == school_year, e.active)
        if audience.school_id is not None:
            query = query.where(e.school_id == audience.school_id)
        if audience.class_id is not None:
            query = query.where(e.class_id == audience.class_id)
        return list((await self._conn.execute(query.distinct())).scalars())


class SqlBalances:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def of(self, account_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, BalanceState]:
        return await self._states(balance.c.account_id.in_(list(account_ids)))

    async def save(self, states: Mapping[uuid.UUID, BalanceState]) -> None:
        rows = [
            {"account_id": account, "balance_cents": s.balance_cents, "negative_since": s.negative_since}
            for account, s in states.items()
        ]
        await _upsert(self._conn, balance, rows)

    async def negative_since_before(
        self, moment: datetime, only_accounts: Collection[uuid.UUID] | None = None
    ) -> dict[uuid.UUID, BalanceState]:
        overdue = [balance.c.balance_cents < 0, balance.c.negative_since < moment]
        if only_accounts is not None:
            overdue.append(balance.c.account_id.in_(list(only_accounts)))
        return await self._states(*overdue)

    async def _states(self, *where: Any) -> dict[uuid.UUID, BalanceState]:
        rows = await self._conn.execute(
            select(balance.c.account_id, balance.c.balance_cents, balance.c.negative_since).where(*where)
        )
        return {r.account_id: BalanceState(r.balance_cents, r.negative_since) for r in rows}
