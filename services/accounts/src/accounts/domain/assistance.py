"""Assistance (the letter's "chat all'interno del portale"): one conversation per family with the
Ufficio Scuola, made of messages from the family and answers from the office. Pure.

A conversation waits for the office when its latest message is the family's; the office's list
puts those first, the longest waiting on top. When the office answers, the family is told by
email (`notification-requested`, template `assistance_reply`): the email says there is an
answer, never what it says (the conversation stays behind SPID/CIE).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from accounts.domain.exceptions import InvalidMessage
from shared.events import NotificationRequested, Template

MOST_CHARACTERS = 2000


class Side(StrEnum):
    FAMILY = "family"
    OFFICE = "office"


@dataclass(frozen=True)
class Message:
    message_id: uuid.UUID
    account_id: uuid.UUID
    side: Side
    author: str  # the person's name as shown (a parent's, or the staff member's)
    body: str
    sent_at: datetime


@dataclass(frozen=True)
class ConversationLine:
    """A conversation in the office's list."""

    account_id: uuid.UUID
    holder_first_name: str
    holder_last_name: str
    last_side: Side
    last_at: datetime
    waiting_since: datetime | None  # the family's first message the office has not answered yet
    messages: int

    @property
    def waiting(self) -> bool:
        return self.last_side is Side.FAMILY


def message(account_id: uuid.UUID, side: Side, author: str, body: str, now: datetime) -> Message:
    """A new message; its text trimmed, at least 2 and at most `MOST_CHARACTERS` characters."""
    text = body.strip()
    if not 2 <= len(text) <= MOST_CHARACTERS or "\x00" in text:
        raise InvalidMessage(MOST_CHARACTERS)
    return Message(uuid.uuid4(), account_id, side, author.strip() or "Ufficio Scuola", text, now)


def in_order(lines: Sequence[ConversationLine]) -> list[ConversationLine]:
    """Waiting for an answer first (the longest waiting on top), then the latest answered."""
    waiting = sorted((c for c in lines if c.waiting), key=lambda c: c.waiting_since or c.last_at)
    answered = sorted((c for c in lines if not c.waiting), key=lambda c: c.last_at, reverse=True)
    return waiting + answered


def answer_announced(answer: Message) -> NotificationRequested:
    """The email that tells the family the office answered; one per answer (its id is the answer's)."""
    return NotificationRequested(
        request_id=answer.message_id,
        account_ids=[answer.account_id],
        template=Template.ASSISTANCE_REPLY,
        params={"answered_at": answer.sent_at.isoformat()},
        channels=["email"],
    )
