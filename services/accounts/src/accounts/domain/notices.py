"""A family's payment notices as the portal shows them (payments owns them): their state, whether
they can still be cancelled, and which of them a person may see. Pure."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from accounts.domain.users import Principal


class NoticeState(StrEnum):
    OPEN = "open"  # da pagare
    PAID = "paid"
    EXPIRED = "expired"
    CANCELLING = "cancelling"  # cancelled here; pagoPA's ACA has not confirmed it yet
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class FamilyNotice:
    account_id: uuid.UUID
    notice_number: str
    printed_number: str  # in groups of four, as on paper
    amount_cents: int
    due_date: date
    state: NoticeState
    activated: bool  # a PSP started paying it: it can no longer be cancelled
    created_at: datetime | None  # None where payments does not say (a single notice read)

    @property
    def cancellable(self) -> bool:
        return self.state is NoticeState.OPEN and not self.activated

    @property
    def payable(self) -> bool:
        return self.state is NoticeState.OPEN


def seen_by(who: Principal, notices: Sequence[FamilyNotice]) -> list[FamilyNotice]:
    """A guardian who is not the holder does not see the paid notices: with the meals they see
    on the children's calendar, the family's payments would tell them the balance."""
    if who.sees_debts:
        return list(notices)
    return [n for n in notices if n.state is not NoticeState.PAID]
