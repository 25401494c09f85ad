"""Terminals record absences and close the day; the office registers terminals."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, Field

from attendance.api.dependencies import TerminalDep, UowDep, own_school, require_service
from attendance.handlers.close_day import close_day
from attendance.handlers.record_absences import record_absences
from attendance.handlers.terminals import register_terminal

office = APIRouter(prefix="/office", tags=["office"], dependencies=[Depends(require_service)])
terminal = APIRouter(prefix="/schools/{school_id}/days/{service_date}", tags=["terminal"])


class NewTerminal(BaseModel):
    school_id: str = Field(min_length=1, max_length=64)


class TerminalCredential(BaseModel):
    terminal_id: uuid.UUID
    school_id: str
    token: str = Field(description="Shown once: `Authorization: Bearer <token>`")


class Absences(BaseModel):
    absent_student_ids: list[uuid.UUID] = Field(max_length=100)


class DayClose(BaseModel):
    school_id: str
    service_date: date
    meals: int
    already_closed: bool


@office.post("/terminals", status_code=status.HTTP_201_CREATED)
async def create_terminal(body: NewTerminal, uow: UowDep) -> TerminalCredential:
    async with uow:
        created, secret = await register_terminal(uow, body.school_id)
    return TerminalCredential(
        terminal_id=created.terminal_id, school_id=created.school_id, token=f"{created.terminal_id}.{secret}"
    )


@terminal.put("/classes/{class_id}/absences", status_code=status.HTTP_204_NO_CONTENT)
async def put_absences(
    school_id: str, service_date: date, class_id: str, body: Absences, who: TerminalDep, uow: UowDep
) -> None:
    own_school(who, school_id)
    async with uow:
        await record_absences(
            uow,
            school_id,
            class_id,
            service_date,
            set(body.absent_student_ids),
            posted_by=f"terminal:{who.terminal_id}",
        )


@terminal.post("/close")
async def post_close(school_id: str, service_date: date, who: TerminalDep, uow: UowDep) -> DayClose:
    own_school(who, school_id)
    async with uow:
        closed = await close_day(uow, school_id, service_date, closed_by=f"terminal:{who.terminal_id}")
    return DayClose(**closed.__dict__)
