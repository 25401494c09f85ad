"""Figli: each child with school, class, diet and tariff, and the month at school day by day;
an absence announced before the school's cut-off, or withdrawn. Plain forms (no script needed):
after the action the page comes back on the same month, at the same day; a refusal (too late)
is said at the top of the page."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Depends, Response
from fastapi.responses import RedirectResponse

from accounts.domain.school_days import next_month, parse_month, previous_month
from accounts.handlers import attendance_of_student as school_days
from accounts.handlers.show_children import show_children
from accounts.web.family import FamilyPage, PageDep, now
from accounts.web.session import csrf
from shared.errors import RefettorioError
from shared.http import HttpError
from shared.web import PageRoute

router = APIRouter(route_class=PageRoute, include_in_schema=False, dependencies=[Depends(csrf)])
DONE = {
    "comunicata": "Assenza comunicata: quel giorno il pasto non sarà preparato né addebitato.",
    "ritirata": "Assenza ritirata: quel giorno il pasto sarà preparato e addebitato come sempre.",
}


@router.get("/conti/{account_id}/figli")
async def children(page: PageDep, mese: str | None = None, esito: str | None = None) -> Response:
    try:
        month = parse_month(mese, now().date())
    except ValueError as error:
        raise HttpError(422, "mese_non_valido", "Il mese indicato non è valido (es. 2026-12).") from error
    return await _month_page(page, month, done=DONE.get(esito or ""))


@router.post("/conti/{account_id}/figli/{student_id}/assenze/{day}")
async def announce(page: PageDep, student_id: uuid.UUID, day: date) -> Response:
    try:
        await school_days.announce_absence(page.uow, page.other.attendance, page.account_id, student_id, day)
    except RefettorioError as error:
        return await _month_page(page, day, refused=error)
    return _back(page, day, "comunicata")


@router.post("/conti/{account_id}/figli/{student_id}/assenze/{day}/ritiro")
async def withdraw(page: PageDep, student_id: uuid.UUID, day: date) -> Response:
    try:
        await school_days.withdraw_absence(page.uow, page.other.attendance, page.account_id, student_id, day)
    except RefettorioError as error:
        return await _month_page(page, day, refused=error)
    return _back(page, day, "ritirata")


def _back(page: FamilyPage, day: date, done: str) -> Response:
    return RedirectResponse(page.url(f"/figli?mese={day:%Y-%m}&esito={done}#giorno-{day}"), status_code=303)


async def _month_page(
    page: FamilyPage, month: date, done: str | None = None, refused: RefettorioError | None = None
) -> Response:
    found = await show_children(
        page.uow, page.other.attendance, page.settings.desk_rules, page.account_id, month, now()
    )
    return page.render(
        "figli.html",
        "figli",
        "Figli",
        refused=refused,
        children=found,
        month=month.replace(day=1),
        previous=previous_month(month),
        following=next_month(month),
        done=done,
    )
