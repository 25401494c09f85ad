"""The delivery log on PostgreSQL (SQLAlchemy Core).

The unique key `(rule, cause_id, channel, account_id)` is what makes a cause produce at most one
message per channel and family: a redelivered event, a second reminder run or two replicas
racing all insert with `ON CONFLICT DO NOTHING`. Entries are added, and the messages of a
sender's round moved on, with one statement whatever their number.
"""

from __future__ import annotations

import collections
import dataclasses
import uuid
from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from typing import Any

from prometheus_client import Counter
from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Row,
    and_,
    bindparam,
    case,
    cast,
    column,
    func,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.selectable import TableValuedAlias

from notifications.adapters.sql_projections import CARD, card
from notifications.adapters.tables import contact, delivery
from notifications.domain.delivery import FINAL, WAITING, LoggedDelivery, Outcome, State
from notifications.domain.notices import Entry
from notifications.domain.rules import Rule
from notifications.domain.sending import Due, Transition

CHANNEL = "delivery"  # NOTIFY'd when entries were added: the sender listens (`shared...Listener`)


def _kept_params(state: ColumnElement[Any]) -> ColumnElement[Any]:
    """A password-reset link is not kept once its message is done with, however it ended."""
    forget = and_(state.in_([s.value for s in FINAL]), delivery.c.rule == Rule.PASSWORD_RESET.value)
    return case((forget, cast(literal("{}"), JSONB)), else_=delivery.c.params)


def _unnested(names: Sequence[str], alias: str) -> TableValuedAlias:
    """Rows given as one array per column (`<alias>_<column>`), unnested by PostgreSQL: one
    statement whatever the number of rows, and always the same one."""
    columns = [delivery.c[name] for name in names]
    arrays = (bindparam(f"{alias}_{c.name}", type_=ARRAY(c.type)) for c in columns)
    return func.unnest(*arrays).table_valued(*(column(c.name, c.type) for c in columns)).render_derived(name=alias)


def _arrays(alias: str, names: Sequence[str], rows: Sequence[Sequence[Any]]) -> dict[str, list[Any]]:
    return {f"{alias}_{name}": list(values) for name, values in zip(names, zip(*rows, strict=True), strict=True)}


_ADDED = ("account_id", "rule", "cause_id", "event_id", "channel", "params", "state", "not_before", "recipient")
_ENTRIES = _unnested(_ADDED, "entries")
_ADD = (
    insert(delivery)
    .from_select(_ADDED, select(*_ENTRIES.c))
    .on_conflict_do_nothing(constraint="uq_delivery_cause")
    .returning(delivery.c.id)
)

_MOVED = tuple(f.name for f in dataclasses.fields(Transition))
_MOVES = _unnested(_MOVED, "moves")
_MOVE = (
    update(delivery)
    .where(
        delivery.c.id == _MOVES.c.id,
        delivery.c.state == func.any(bindparam("expected", type_=ARRAY(delivery.c.state.type))),
    )
    .values(
        state=_MOVES.c.state,
        attempts=_MOVES.c.attempts,
        last_error=_MOVES.c.last_error,
        not_before=_MOVES.c.not_before,
        # Set once, when the message leaves or is sent: a transition that does not say keeps them.
        **{
            name: func.coalesce(_MOVES.c[name], delivery.c[name])
            for name in ("recipient", "sending_at", "sent_at", "provider_id")
        },
        params=_kept_params(_MOVES.c.state),
        updated_at=func.now(),
    )
    .returning(delivery.c.channel, delivery.c.state)
)
# What became of messages, by channel: sent, failed, deferred (quiet hours), suppressed, unreachable.
OUTCOMES = Counter("refettorio_deliveries_total", "Messages moved to a state, by channel", ["channel", "state"])


def _count(moved: collections.Counter[tuple[str, str]]) -> None:
    for (channel, state), n in moved.items():
        if state != State.SENDING.value:
            OUTCOMES.labels(channel, state).inc(n)


class SqlDeliveryLog:
    def __init__(self, connection: AsyncConnection, after_commit: Callable[[Callable[[], None]], None]) -> None:
        self._conn = connection
        self._after_commit = after_commit

    async def add(self, entries: Sequence[Entry]) -> int:
        if not entries:
            return 0
        added = len((await self._conn.execute(_ADD, _arrays("entries", _ADDED, [_row(e) for e in entries]))).all())
        if added:  # wakes the sender when this transaction commits
            await self._conn.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})
        return added

    async def abandon_stale(self, started_before: datetime) -> int:
        result = await self._conn.execute(
            update(delivery)
            .where(delivery.c.state == State.SENDING.value, delivery.c.sending_at < started_before)
            .values(
                state=State.FAILED.value,
                last_error="invio interrotto: esito sconosciuto, non ripetuto",
                not_before=None,
                params=_kept_params(literal(State.FAILED.value)),
                updated_at=func.now(),
            )
        )
        return int(result.rowcount or 0)

    async def lock_due(self, now: datetime, limit: int) -> list[Due]:
        query = (
            select(delivery, *CARD)
            .outerjoin(contact, contact.c.account_id == delivery.c.account_id)
            .where(
                delivery.c.state.in_([s.value for s in WAITING]),
                or_(delivery.c.not_before.is_(None), delivery.c.not_before <= now),
            )
            .order_by(delivery.c.id)
            .limit(limit)
            .with_for_update(of=delivery, skip_locked=True)
        )
        return [_due(row) for row in await self._conn.execute(query)]

    async def move(self, transitions: Sequence[Transition], expected: Collection[State]) -> int:
        if not transitions:
            return 0
        rows = [dataclasses.astuple(t) for t in transitions]
        result = await self._conn.execute(_MOVE, _arrays("moves", _MOVED, rows) | {"expected": list(expected)})
        moved = collections.Counter((r.channel, r.state) for r in result)
        self._after_commit(lambda: _count(moved))
        return moved.total()

    async def of_account(self, account_id: uuid.UUID, limit: int) -> list[LoggedDelivery]:
        return await self._logged(limit, delivery.c.account_id == account_id)

    async def of_accounts(self, account_ids: Collection[uuid.UUID], rule: str, limit: int) -> list[LoggedDelivery]:
        return await self._logged(limit, delivery.c.account_id.in_(list(account_ids)), delivery.c.rule == rule)

    async def outcomes(self, rule: str, cause_id: str) -> list[Outcome]:
        d = delivery.c
        query = (
            select(d.channel, d.state, func.count())
            .where(d.rule == rule, d.cause_id == cause_id)
            .group_by(d.channel, d.state)
            .order_by(d.channel, d.state)
        )
        return [Outcome(*row) for row in await self._conn.execute(query)]

    async def _logged(self, limit: int, *where: ColumnElement[bool]) -> list[LoggedDelivery]:
        shown = [delivery.c[f.name] for f in dataclasses.fields(LoggedDelivery)]
        query = select(*shown).where(*where).order_by(delivery.c.id.desc()).limit(limit)
        return [LoggedDelivery(**row) for row in (await self._conn.execute(query)).mappings()]


def _row(entry: Entry) -> tuple[Any, ...]:
    """An entry as the values of `_ADDED`, in that order."""
    notice, route = entry.notice, entry.route
    return (
        notice.account_id,
        notice.rule,
        notice.cause_id,
        notice.event_id,
        entry.channel,
        notice.params,
        route.state,
        route.not_before,
        notice.recipient,
    )


def _due(row: Row[Any]) -> Due:
    known = row.email_opt_out is not None  # the contact book knows the family
    return Due(
        row.id,
        row.account_id,
        row.rule,
        row.channel,
        row.params,
        row.attempts,
        row.last_error,
        row.not_before,
        card(row) if known else None,
        row.recipient,
    )
