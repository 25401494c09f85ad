"""The ledger's arithmetic: pure, no I/O.

A movement is a signed amount of cents with its cause and the `(source, source_id)` of what
caused it; that pair is unique in the ledger, so the same fact can never move money twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

from shared.events import BalanceChanged


class Cause(StrEnum):
    MEAL = "meal"
    MEAL_REVERSAL = "meal_reversal"
    TOP_UP = "top_up"
    PAPER_VOUCHERS = "paper_vouchers"
    CARRY_OVER = "carry_over"
    REFUND = "refund"
    ADJUSTMENT = "adjustment"


@dataclass(frozen=True)
class Movement:
    account_id: uuid.UUID
    cause: Cause
    amount_cents: int
    source: str
    source_id: str
    description: str = ""
    student_id: uuid.UUID | None = None
    author: str | None = None  # the staff member who booked it by hand


@dataclass(frozen=True)
class Posted:
    """A movement as booked, with the balance it found and the balance it left."""

    entry_id: uuid.UUID
    movement: Movement
    balance_before_cents: int
    balance_after_cents: int


def entry_id(movement: Movement) -> uuid.UUID:
    """Deterministic: the same `(source, source_id)` always names the same entry."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"refettorio:ledger:{movement.source}:{movement.source_id}")


def post(balances: dict[uuid.UUID, int], movements: Sequence[Movement]) -> list[Posted]:
    """Books movements in order on the given balances (mutated to the new balances)."""
    posted = []
    for movement in movements:
        before = balances[movement.account_id]
        after = before + movement.amount_cents
        balances[movement.account_id] = after
        posted.append(Posted(entry_id(movement), movement, before, after))
    return posted


def distinct_by_source(movements: Iterable[Movement]) -> Iterator[Movement]:
    """The first movement of each `(source, source_id)`: a batch may repeat a fact."""
    seen: set[tuple[str, str]] = set()
    for movement in movements:
        if (movement.source, movement.source_id) not in seen:
            seen.add((movement.source, movement.source_id))
            yield movement


def balance_changed(posted: Posted) -> BalanceChanged:
    """The event every booked movement announces (notifications derives its alerts from it)."""
    return BalanceChanged(
        account_id=posted.movement.account_id,
        entry_id=posted.entry_id,
        cause=posted.movement.cause.value,
        amount_cents=posted.movement.amount_cents,
        balance_before_cents=posted.balance_before_cents,
        balance_after_cents=posted.balance_after_cents,
    )
