"""Adjustments the office books by hand: small ones at once, large ones after a second person's
approval (the four-eyes rule of the letter's money decisions). Pure.

An adjustment whose absolute amount is above `threshold_cents` waits as a request until a
responsabile other than the one who asked approves it (then it is booked, once: its ledger key is
the request) or rejects it. The office's automation may ask, never approve.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from accounts.domain.audit import Actor
from accounts.domain.exceptions import AlreadyDecided, NotAllowed
from accounts.domain.users import Permission, Principal


class RequestState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True)
class ApprovalRule:
    threshold_cents: int

    def needs_approval(self, amount_cents: int) -> bool:
        return abs(amount_cents) > self.threshold_cents

    def check_decider(self, who: Principal, request: AdjustmentRequest) -> None:
        if not who.may(Permission.MONEY) or not who.is_person:
            raise NotAllowed("Solo un responsabile può approvare o respingere una rettifica.")
        if request.state is not RequestState.PENDING:
            raise AlreadyDecided()
        if request.requested_by.user_id == who.user_id:
            raise NotAllowed("Una rettifica va approvata da una persona diversa da chi l'ha chiesta.")


@dataclass(frozen=True)
class AdjustmentRequest:
    request_id: uuid.UUID
    account_id: uuid.UUID
    amount_cents: int
    reason: str
    requested_by: Actor
    requested_at: datetime | None = None
    state: RequestState = RequestState.PENDING
    decided_by: str | None = None
    decided_at: datetime | None = None
