"""Classe: a class's children today, each a large toggle present/absent saved at the tap, and
the confirmation that the class was recorded."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response

from attendance.api.dependencies import UowDep
from attendance.api.schemas import ClassId
from attendance.domain.marks import Mark
from attendance.handlers.mark_attendance import mark_attendance
from attendance.handlers.show_class import show_class
from attendance.handlers.take_register import TakeRegister, take_register
from attendance.web.forms import Change, Saved, Tap
from attendance.web.routing import ScreenRoute, answer, now, screen
from attendance.web.session import ROOT, TerminalDep, csrf

router = APIRouter(route_class=ScreenRoute, include_in_schema=False, dependencies=[Depends(csrf)])


@router.get(f"{ROOT}/classi/{{class_id}}")
async def class_page(request: Request, class_id: ClassId, who: TerminalDep, uow: UowDep) -> Response:
    register = await show_class(uow, who.school_id, class_id, now())
    breadcrumb = [(f"Classe {class_id}", "")]
    return screen(request, "classe.html", {"who": who, "register": register, "breadcrumb": breadcrumb})


@router.post(f"{ROOT}/classi/{{class_id}}/alunni/{{student_id}}")
async def tap(
    request: Request,
    class_id: ClassId,
    student_id: uuid.UUID,
    form: Annotated[Tap, Form()],
    who: TerminalDep,
    uow: UowDep,
) -> Response:
    at = now()
    mark = Mark(form.key, who.school_id, class_id, form.day, student_id, form.absent, form.tapped_at or at, who.actor)
    outcome = await mark_attendance(uow, mark, at)
    return answer(request, f"{ROOT}/classi/{class_id}", Saved(outcome=outcome.value))


@router.post(f"{ROOT}/classi/{{class_id}}/rilevata")
async def register_taken(
    request: Request, class_id: ClassId, form: Annotated[Change, Form()], who: TerminalDep, uow: UowDep
) -> Response:
    await take_register(uow, TakeRegister(form.key, who.school_id, class_id, form.day, who.actor, now()))
    return answer(request, f"{ROOT}/classi/{class_id}", Saved(outcome="applied"))
