"""Chiudi la giornata: what the close will charge (classes recorded, not recorded, meals), and the
close itself, with the explicit confirmation for the classes not recorded."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response

from attendance.api.dependencies import UowDep
from attendance.handlers.close_day import CloseDay, close_day
from attendance.handlers.show_today import show_today
from attendance.web.forms import Close, Closed
from attendance.web.routing import ScreenRoute, answer, now, screen
from attendance.web.session import ROOT, TerminalDep, csrf

router = APIRouter(route_class=ScreenRoute, include_in_schema=False, dependencies=[Depends(csrf)])
PAGE = f"{ROOT}/chiusura"


@router.get(PAGE)
async def closing_page(request: Request, who: TerminalDep, uow: UowDep) -> Response:
    found = await show_today(uow, who.school_id, now())
    context = {"who": who, "today": found, "section": "chiusura", "breadcrumb": [("Chiudi la giornata", "")]}
    return screen(request, "chiusura.html", context)


@router.post(PAGE)
async def close(request: Request, form: Annotated[Close, Form()], who: TerminalDep, uow: UowDep) -> Response:
    at = now()
    command = CloseDay(
        who.school_id, form.day, who.actor, at, today_of=at, unrecorded_confirmed=form.confirm, change_id=form.key
    )
    closed = await close_day(uow, command)
    return answer(request, PAGE, Closed(meals=closed.meals, already_closed=closed.already_closed))
