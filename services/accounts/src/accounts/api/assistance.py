"""Assistance as JSON: the family's conversation with the Ufficio Scuola, and the office's side
(its list, waiting first; a family's file; its answer, which emails the family)."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, Field

from accounts.api.dependencies import AccountDep, PrincipalDep, StaffDep, UowDep, staff
from accounts.domain.assistance import MOST_CHARACTERS, ConversationLine, Message
from accounts.handlers.answer_family import answer_family
from accounts.handlers.show_conversation import conversation, conversations
from accounts.handlers.write_to_office import write_to_office

router = APIRouter(tags=["accounts"])
office = APIRouter(prefix="/office", tags=["office"], dependencies=[Depends(staff)])


class MessageIn(BaseModel):
    text: str = Field(min_length=2, max_length=MOST_CHARACTERS)


class MessageView(BaseModel):
    message_id: uuid.UUID
    side: str  # family, office
    author: str
    text: str
    sent_at: datetime

    @classmethod
    def of(cls, m: Message) -> MessageView:
        return cls(message_id=m.message_id, side=m.side.value, author=m.author, text=m.body, sent_at=m.sent_at)


class ConversationLineView(BaseModel):
    account_id: uuid.UUID
    holder: str
    waiting: bool
    waiting_since: datetime | None
    last_at: datetime
    messages: int

    @classmethod
    def of(cls, c: ConversationLine) -> ConversationLineView:
        return cls(
            account_id=c.account_id,
            holder=f"{c.holder_first_name} {c.holder_last_name}",
            waiting=c.waiting,
            waiting_since=c.waiting_since,
            last_at=c.last_at,
            messages=c.messages,
        )


@router.get("/accounts/{account_id}/conversation")
async def family_conversation(account_id: AccountDep, uow: UowDep) -> list[MessageView]:
    return [MessageView.of(m) for m in await conversation(uow, account_id)]


@router.post("/accounts/{account_id}/conversation", status_code=status.HTTP_201_CREATED)
async def write(account_id: AccountDep, body: MessageIn, who: PrincipalDep, uow: UowDep) -> MessageView:
    return MessageView.of(await write_to_office(uow, who, account_id, body.text))


@office.get("/conversations")
async def office_conversations(uow: UowDep) -> list[ConversationLineView]:
    """Waiting for an answer first, the longest waiting on top."""
    return [ConversationLineView.of(c) for c in await conversations(uow)]


@office.post("/accounts/{account_id}/conversation", status_code=status.HTTP_201_CREATED)
async def answer(account_id: uuid.UUID, body: MessageIn, who: StaffDep, uow: UowDep) -> MessageView:
    """The office's answer; the family gets an email saying there is one."""
    return MessageView.of(await answer_family(uow, who, account_id, body.text))
