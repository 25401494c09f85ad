"""The office's routes for talking to families: Morosità e solleciti (the accounts in debt, the
reminders sent, a reminder now) and Comunicazioni (count and preview, send, the past ones, the
delivery report). Staff only; the same operations as the pages `/ufficio/morosita` and
`/ufficio/comunicazioni`."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, status
from pydantic import BaseModel, Field

from accounts.api.dependencies import GatewaysDep, StaffDep, UowDep, staff
from accounts.api.schemas import Amount, Broadcast, BroadcastAccepted, DebtorView
from accounts.domain.communications import Audience, Communication
from accounts.handlers import broadcast as broadcasts
from accounts.handlers import communications, queries
from accounts.handlers.debtors import debtors_page
from accounts.handlers.read_models import Debtor, DebtorOrder
from accounts.handlers.remind_now import remind_now

router = APIRouter(prefix="/office", tags=["office"], dependencies=[Depends(staff)])
Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


class DebtorWithReminders(DebtorView):
    reminders: list[dict[str, Any]] = Field(description="Notifications' delivery log rows, newest first")


class DebtorsPageView(BaseModel):
    total: int
    debtors: list[DebtorWithReminders]


class ReminderNow(BaseModel):
    request_id: uuid.UUID = Field(description="Sent once per request id")
    account_ids: list[uuid.UUID] = Field(min_length=1, max_length=200)


class ReminderAccepted(BaseModel):
    request_id: uuid.UUID
    sent: bool = Field(description="False when an earlier request with this id sent them")


class CommunicationView(BaseModel):
    request_id: uuid.UUID
    sent_at: datetime
    sent_by: str
    details: dict[str, Any] = Field(description="destinatari, oggetto, testo, canali")


class ReportView(CommunicationView):
    outcomes: list[dict[str, Any]] = Field(description="channel, state, count")


@router.get("/debtors")
async def debtors(
    uow: UowDep, order: DebtorOrder = "amount", limit: Limit = 1000, offset: Offset = 0
) -> list[DebtorView]:
    _, found = await queries.debtors(uow, order, limit, offset)
    return [debtor_view(d) for d in found]


@router.get("/debtors/page")
async def debtors_with_reminders(
    uow: UowDep, who: StaffDep, other: GatewaysDep, order: DebtorOrder = "amount", limit: Limit = 20, offset: Offset = 0
) -> DebtorsPageView:
    found = await debtors_page(uow, other.notifications, who, order, limit, offset)
    lines = [
        DebtorWithReminders(**debtor_view(line.debtor).model_dump(), reminders=line.reminders) for line in found.lines
    ]
    return DebtorsPageView(total=found.total, debtors=lines)


@router.post("/debtors/reminders", status_code=status.HTTP_202_ACCEPTED)
async def reminders_now(body: ReminderNow, who: StaffDep, uow: UowDep) -> ReminderAccepted:
    sent = await remind_now(uow, who, body.request_id, body.account_ids)
    return ReminderAccepted(request_id=body.request_id, sent=sent)


@router.post("/broadcasts/preview")
async def preview(body: Broadcast, who: StaffDep, other: GatewaysDep) -> dict[str, Any]:
    """Who it will reach and who refused it (diniego), per channel; the message as it will read."""
    return await broadcasts.foresee(other.notifications, who, communication_of(body))


@router.post("/broadcasts", status_code=status.HTTP_202_ACCEPTED)
async def broadcast(body: Broadcast, who: StaffDep, uow: UowDep) -> BroadcastAccepted:
    """A message to every family, a school's, a class's or chosen families (once per request id)."""
    request_id = await broadcasts.broadcast(uow, who, communication_of(body), body.request_id)
    return BroadcastAccepted(request_id=request_id)


@router.get("/broadcasts")
async def past(uow: UowDep, who: StaffDep, limit: Limit = 20, offset: Offset = 0) -> list[CommunicationView]:
    _, found = await communications.past_communications(uow, who, limit, offset)
    return [CommunicationView(**sent(e)) for e in found]


@router.get("/broadcasts/{request_id}")
async def report(request_id: uuid.UUID, uow: UowDep, who: StaffDep, other: GatewaysDep) -> ReportView:
    found = await communications.communication_report(uow, other.notifications, who, request_id)
    return ReportView(**sent(found.sent), outcomes=found.outcomes)


def debtor_view(d: Debtor) -> DebtorView:
    holder = f"{d.holder_first_name} {d.holder_last_name}"
    return DebtorView(
        account_id=d.account_id, holder=holder, balance=Amount.of(d.balance_cents), in_debt_since=d.in_debt_since
    )


def communication_of(body: Broadcast) -> Communication:
    audience = Audience(body.everyone, body.school_id, body.class_id, tuple(body.account_ids))
    return Communication(audience, body.subject, body.message, tuple(body.channels))


def sent(logged: Any) -> dict[str, Any]:
    e = logged.entry
    return {"request_id": uuid.UUID(e.subject), "sent_at": logged.at, "sent_by": e.actor.name, "details": e.after or {}}
