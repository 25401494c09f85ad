"""Money the office moves by hand (paper vouchers, adjustments): one movement in its own
transaction, once per Idempotency-Key, never on a school year already closed for the account.

The key is claimed first, in the command's own transaction (`INSERT ... ON CONFLICT DO NOTHING`):
a concurrent request with the same key waits for the first to commit, then finds the key and
gets the first response. The same key with a different request is refused.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from accounts.domain.exceptions import AccountNotFound, IdempotencyConflict, YearClosed
from accounts.domain.ledger import Movement
from accounts.handlers.book_movements import book_movements
from accounts.handlers.ports import AccountsUnitOfWork
from shared.money import format_euro
from shared.school_year import SchoolYear


@dataclass(frozen=True)
class Booked:
    entry_id: uuid.UUID
    balance_cents: int  # the account's balance after the movement


@dataclass(frozen=True)
class Idempotent:
    """A request made once per `key` within `scope` (without a key, every time it is made)."""

    scope: str
    key: str | None
    request: Mapping[str, object]  # as the caller sent it: a reused key must come with the same

    @property
    def digest(self) -> str:
        return hashlib.sha256(json.dumps(self.request, sort_keys=True, default=str).encode()).hexdigest()


async def book_by_hand(uow: AccountsUnitOfWork, movement: Movement, day: date, once: Idempotent) -> Booked:
    """Books `movement`, dated `day`, unless `once` was already made (then its first answer)."""
    async with uow:
        earlier = await _earlier(uow, once)
        if earlier is not None:
            return earlier
        booked = await _book(uow, movement, day)
        if once.key is not None:
            await uow.idempotency.remember(once.scope, once.key, _stored(booked))
        await uow.commit()
    return booked


async def _book(uow: AccountsUnitOfWork, movement: Movement, day: date) -> Booked:
    if movement.student_id is not None:
        await uow.families.student_of(movement.account_id, movement.student_id)
    # Locked first: a year closing running now finishes first, and is then seen by the check.
    balances = await uow.ledger.lock({movement.account_id})
    if not balances:
        raise AccountNotFound(movement.account_id)
    year = SchoolYear.of(day)
    if await uow.year_closings.is_closed(movement.account_id, year):
        raise YearClosed(str(year))
    [posted] = await book_movements(uow, balances, [movement])
    return Booked(posted.entry_id, posted.balance_after_cents)


async def _earlier(uow: AccountsUnitOfWork, once: Idempotent) -> Booked | None:
    if once.key is None:
        return None
    stored = await uow.idempotency.claim(once.scope, once.key, once.digest)
    if stored is None:
        return None
    if stored.request_digest != once.digest:
        raise IdempotencyConflict()
    return Booked(uuid.UUID(stored.response["entry_id"]), int(stored.response["balance"]["cents"]))


def _stored(booked: Booked) -> dict[str, Any]:
    """The answer as stored since the first keys were (the gateway's `Booked` body)."""
    cents = booked.balance_cents
    return {"entry_id": str(booked.entry_id), "balance": {"cents": cents, "display": format_euro(cents)}}
