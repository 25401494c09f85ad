"""Internal routes (service credential): the office reads a family's delivery log, the reminders
sent to families in debt, counts and previews a message before sending it, and reads what
became of a request, through accounts, which names the member of staff who asks (`shared.acting`)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from notifications.api.dependencies import ClockDep, PolicyDep, RendererDep, UowDep
from notifications.domain.audience import Audience
from notifications.domain.delivery import LoggedDelivery, Outcome
from notifications.domain.rules import Rule
from notifications.handlers.count_audience import Foreseen, count_audience, preview
from notifications.handlers.read_delivery_log import read_delivery_log, reminders_sent, request_report
from shared.dependencies import StaffPersonDep, require_service
from shared.events import Channel

internal = APIRouter(prefix="/internal", tags=["internal"], dependencies=[Depends(require_service)])


class AudienceIn(BaseModel):
    """A message the office is about to send: to whom, on which channels, saying what."""

    everyone: bool = False
    school_id: str | None = Field(default=None, min_length=1, max_length=64)
    class_id: str | None = Field(default=None, min_length=1, max_length=32)
    account_ids: list[uuid.UUID] = Field(default_factory=list, max_length=1000)
    channels: list[Channel] = Field(min_length=1)
    subject: str = Field(min_length=1, max_length=120)
    text: str = Field(min_length=1, max_length=600)


@internal.get("/accounts/{account_id}/deliveries")
async def deliveries(
    account_id: uuid.UUID, uow: UowDep, who: StaffPersonDep, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> list[LoggedDelivery]:
    return await read_delivery_log(uow, account_id, limit)


@internal.get("/reminders")
async def reminders(
    uow: UowDep,
    who: StaffPersonDep,
    account_id: Annotated[list[uuid.UUID], Query(min_length=1, max_length=100)],
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> list[LoggedDelivery]:
    """The reminders (solleciti) sent to these families, newest first."""
    return await reminders_sent(uow, account_id, limit)


@internal.post("/audiences/count")
async def audience_count(
    body: AudienceIn,
    uow: UowDep,
    who: StaffPersonDep,
    policy: PolicyDep,
    templates: RendererDep,
    clock: ClockDep,
) -> Foreseen:
    """Who the message will reach, and who refused it, per channel; and the message as it reads."""
    audience = Audience(body.everyone, body.school_id, body.class_id, tuple(body.account_ids))
    counted = await count_audience(uow, audience, body.channels, policy, clock())
    return Foreseen(counted, preview(templates, [c.channel for c in counted.channels], body.subject, body.text))


@internal.get("/requests/{request_id}/outcomes")
async def outcomes(
    request_id: uuid.UUID, uow: UowDep, who: StaffPersonDep, rule: Literal["broadcast", "reminder"] = "broadcast"
) -> list[Outcome]:
    """What became of a request's messages: how many in each state, per channel."""
    return await request_report(uow, Rule(rule), request_id)
