"""What the screen's forms post: each change carries its idempotency key (`key`, made by the
script at the tap, or by the server when the page was rendered) and the day it is about."""

from __future__ import annotations

import uuid

from pydantic import AwareDatetime, BaseModel, Field

from attendance.domain.corrections import Kind
from shared.edge import PlausibleDate


class Change(BaseModel):
    key: uuid.UUID
    day: PlausibleDate


class Tap(Change):
    absent: bool
    tapped_at: AwareDatetime | None = None  # the tablet's clock at the tap; none without JavaScript


class Close(Change):
    confirm: bool = False  # the classes not recorded count everyone present


class Fix(Change):
    student_id: uuid.UUID
    kind: Kind
    reason: str = Field(min_length=3, max_length=250)


class Saved(BaseModel):
    outcome: str


class Closed(BaseModel):
    meals: int
    already_closed: bool
