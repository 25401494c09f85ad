"""Correzioni: within the terminal's window after the close, a child sent home ill, or marked
present or absent by mistake, with a reason; the screen says until when it may."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request, Response

from attendance.api.dependencies import SettingsDep, UowDep
from attendance.handlers.correct_attendance import Correction, correct_attendance
from attendance.handlers.show_corrections import show_corrections
from attendance.web.forms import Fix, Saved
from attendance.web.routing import ScreenRoute, answer, now, screen
from attendance.web.session import ROOT, TerminalDep, csrf
from shared.edge import PlausibleDate

router = APIRouter(route_class=ScreenRoute, include_in_schema=False, dependencies=[Depends(csrf)])
PAGE = f"{ROOT}/correzioni"
ClassQuery = Annotated[str | None, Query(alias="class", max_length=64)]


@router.get(PAGE)
async def corrections_page(
    request: Request,
    who: TerminalDep,
    uow: UowDep,
    settings: SettingsDep,
    day: PlausibleDate | None = None,
    klass: ClassQuery = None,
) -> Response:
    window = timedelta(hours=settings.terminal_correction_hours)
    found = await show_corrections(uow, who.school_id, now(), window, day, klass)
    context = {"who": who, "found": found, "section": "correzioni", "breadcrumb": [("Correzioni", "")]}
    return screen(request, "correzioni.html", context | {"window_hours": settings.terminal_correction_hours})


@router.post(PAGE)
async def correct(
    request: Request, form: Annotated[Fix, Form()], who: TerminalDep, uow: UowDep, settings: SettingsDep
) -> Response:
    window = timedelta(hours=settings.terminal_correction_hours)
    fix = Correction(
        who.school_id, form.student_id, form.day, form.kind, form.reason, who.actor, now(), window, form.key
    )
    effect = await correct_attendance(uow, fix)
    return answer(request, f"{PAGE}?{urlencode({'day': form.day.isoformat()})}", Saved(outcome=effect.value))
