"""Dichiarazione per il 730: the statement of canteen expenses for a calendar year (the tax
year) or a school year, for all the children or one, as a PDF. The holder's: a guardian is told
so (`handlers.statement`)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Response

from accounts.api import documents
from accounts.api.accounts import statement_filename
from accounts.domain.statements import FIRST_YEAR, LAST_YEAR, Period, PeriodKind
from accounts.handlers import queries
from accounts.handlers.statement import statement
from accounts.web.family import PageDep, now
from accounts.web.session import csrf
from shared.http import HttpError
from shared.web import PageRoute

router = APIRouter(route_class=PageRoute, include_in_schema=False, dependencies=[Depends(csrf)])
YEARS_OFFERED = 4


@router.get("/conti/{account_id}/dichiarazione")
async def statement_page(page: PageDep) -> Response:
    today = now().date()
    account = await queries.account(page.uow, page.account_id, page.who)
    children = {s.student_id: f"{s.first_name} {s.last_name}" for s in account.students}
    context = {"children": children, "years": [today.year - i for i in range(YEARS_OFFERED)]}
    return page.render("dichiarazione.html", "dichiarazione", "Dichiarazione per il 730", context)


@router.get("/conti/{account_id}/dichiarazione.pdf")
async def statement_pdf(page: PageDep, periodo: str = "calendar", anno: int = 0, alunno: str = "") -> Response:
    period = _period(periodo, anno)
    student_id = _student(alunno)
    found = await statement(page.uow, page.who, page.account_id, period, student_id)
    return Response(
        documents.statement_pdf(found, municipality=page.settings.municipality_name),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{statement_filename(found)}"'},
    )


def _period(kind: str, year: int) -> Period:
    try:
        return Period(PeriodKind(kind), year or now().year - 1)
    except ValueError as error:
        raise HttpError(422, "periodo_non_valido", f"Scegli un anno tra il {FIRST_YEAR} e il {LAST_YEAR}.") from error


def _student(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text) if text else None
    except ValueError as error:
        raise HttpError(422, "alunno_non_valido", "Scegli uno dei figli dall'elenco.") from error
