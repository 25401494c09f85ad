"""Oggi: the school's classes today and their state, the cut-off, the day's closures."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from attendance.api.dependencies import UowDep
from attendance.handlers.show_today import show_today
from attendance.web.routing import ScreenRoute, now, screen
from attendance.web.session import ROOT, TerminalDep, csrf

router = APIRouter(route_class=ScreenRoute, include_in_schema=False, dependencies=[Depends(csrf)])


@router.get(ROOT)
async def today_page(request: Request, who: TerminalDep, uow: UowDep) -> Response:
    found = await show_today(uow, who.school_id, now())
    return screen(request, "oggi.html", {"who": who, "today": found, "section": "oggi"})
