"""A correction the office books by hand, with its reason (signed, never zero).

Within the threshold it is booked at once (once per Idempotency-Key, see `manual_booking`);
above it, it waits for a responsabile other than the one who asked (`domain.adjustments`), and
is booked when approved, once: its ledger key is the request. Every step is audited.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from accounts.domain.adjustments import AdjustmentRequest, ApprovalRule, RequestState
from accounts.domain.audit import Action, Actor, entry
from accounts.domain.exceptions import RequestNotFound
from accounts.domain.ledger import Cause, Movement
from accounts.domain.users import Permission, Principal, require
from accounts.handlers.manual_booking import Booked, Idempotent, book_by_hand, book_checked, claim_once, locked_for
from accounts.handlers.ports import AccountsUnitOfWork

SOURCE = Cause.ADJUSTMENT.value


@dataclass(frozen=True)
class Adjustment:
    account_id: uuid.UUID
    amount_cents: int
    reason: str
    day: date


@dataclass(frozen=True)
class Adjusted:
    """Booked now, or waiting for approval as `pending` (a request id)."""

    booked: Booked | None = None
    pending: uuid.UUID | None = None


async def adjust_balance(
    uow: AccountsUnitOfWork, who: Principal, rule: ApprovalRule, asked: Adjustment, key: str | None
) -> Adjusted:
    require(who, Permission.OFFICE)
    once = Idempotent(
        f"adjustment:{asked.account_id}", key, {"amount_cents": asked.amount_cents, "reason": asked.reason}
    )
    if rule.needs_approval(asked.amount_cents):
        return Adjusted(pending=await _ask_approval(uow, who, asked, once))
    movement = _movement(asked.account_id, asked.amount_cents, asked.reason, str(uuid.uuid4()), who.name)
    after = {"importo_cents": asked.amount_cents}
    audited = entry(
        who, Action.ADJUSTMENT_BOOKED, movement.source_id, account_id=asked.account_id, after=after, reason=asked.reason
    )
    return Adjusted(booked=await book_by_hand(uow, movement, asked.day, once, audited))


async def _ask_approval(uow: AccountsUnitOfWork, who: Principal, asked: Adjustment, once: Idempotent) -> uuid.UUID:
    request = AdjustmentRequest(uuid.uuid4(), asked.account_id, asked.amount_cents, asked.reason, Actor.of(who))
    async with uow:
        earlier = await claim_once(uow, once)
        if earlier is not None:
            return uuid.UUID(earlier["request_id"])
        await uow.families.holder(asked.account_id)  # `AccountNotFound` if there is no such account
        await uow.pending_adjustments.add(request)
        if once.key is not None:
            await uow.idempotency.remember(once.scope, once.key, {"request_id": str(request.request_id)})
        after = {"importo_cents": asked.amount_cents, "stato": RequestState.PENDING.value}
        requested = entry(
            who,
            Action.ADJUSTMENT_REQUESTED,
            request.request_id,
            account_id=asked.account_id,
            after=after,
            reason=asked.reason,
        )
        await uow.audit.record(requested)
        await uow.commit()
    return request.request_id


async def approve_adjustment(
    uow: AccountsUnitOfWork, who: Principal, rule: ApprovalRule, request_id: uuid.UUID, day: date
) -> Booked:
    async with uow:
        request = await _decidable(uow, who, rule, request_id)
        author = f"{request.requested_by.name} (approvata da {who.name})"
        movement = _movement(request.account_id, request.amount_cents, request.reason, str(request_id), author)
        booked = await book_checked(uow, await locked_for(uow, movement), movement, day)
        await uow.pending_adjustments.decide(request_id, RequestState.APPROVED, Actor.of(who), booked.entry_id)
        await _audit_decision(uow, who, request, RequestState.APPROVED)
        await uow.commit()
    return booked


async def reject_adjustment(uow: AccountsUnitOfWork, who: Principal, rule: ApprovalRule, request_id: uuid.UUID) -> None:
    async with uow:
        request = await _decidable(uow, who, rule, request_id)
        await uow.pending_adjustments.decide(request_id, RequestState.REJECTED, Actor.of(who), None)
        await _audit_decision(uow, who, request, RequestState.REJECTED)
        await uow.commit()


async def pending_adjustments(uow: AccountsUnitOfWork) -> list[AdjustmentRequest]:
    async with uow:
        return await uow.pending_adjustments.waiting()


async def _decidable(
    uow: AccountsUnitOfWork, who: Principal, rule: ApprovalRule, request_id: uuid.UUID
) -> AdjustmentRequest:
    request = await uow.pending_adjustments.lock(request_id)  # a second approval waits, then finds it decided
    if request is None:
        raise RequestNotFound()
    rule.check_decider(who, request)
    return request


async def _audit_decision(
    uow: AccountsUnitOfWork, who: Principal, request: AdjustmentRequest, state: RequestState
) -> None:
    action = Action.ADJUSTMENT_APPROVED if state is RequestState.APPROVED else Action.ADJUSTMENT_REJECTED
    before = {"stato": RequestState.PENDING.value, "richiesta_da": request.requested_by.name}
    after = {"stato": state.value, "importo_cents": request.amount_cents}
    decided = entry(
        who,
        action,
        request.request_id,
        account_id=request.account_id,
        before=before,
        after=after,
        reason=request.reason,
    )
    await uow.audit.record(decided)


def _movement(account_id: uuid.UUID, amount_cents: int, reason: str, source_id: str, author: str) -> Movement:
    return Movement(
        account_id, Cause.ADJUSTMENT, amount_cents, SOURCE, source_id, f"Rettifica: {reason}", author=author
    )


@dataclass(frozen=True)
class Preview:
    balance_cents: int
    balance_after_cents: int
    needs_approval: bool


async def preview_adjustment(
    uow: AccountsUnitOfWork, rule: ApprovalRule, account_id: uuid.UUID, amount_cents: int
) -> Preview:
    """What the adjustment would do now: the new balance, and whether it waits for approval."""
    async with uow:
        balance = (await uow.views.account(account_id)).balance_cents or 0
    return Preview(balance, balance + amount_cents, rule.needs_approval(amount_cents))
