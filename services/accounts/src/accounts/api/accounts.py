"""An account as its family and the office see it: balance, students, movements, statements.

A parent reaches only their own account (any other is "not found"); staff reach every account.

The three reads of every page view (`/me`, the account, its movements) are routes without
dependencies (`asking`), and answer JSON they encode themselves (`answers`): the bodies their
`response_model` documents, without FastAPI validating them again.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from accounts.api import answers, documents
from accounts.api.dependencies import (
    AccountDep,
    Authorization,
    PrincipalDep,
    SettingsDep,
    UowDep,
    asking,
    live,
)
from accounts.api.schemas import AccountView, MovementPage
from accounts.domain.ledger import Cause
from accounts.domain.statements import Period, PeriodKind
from accounts.handlers import queries
from accounts.handlers.read_models import MovementFilter, Statement
from accounts.handlers.statement import statement
from shared.edge import CSV_ANSWER, PDF_ANSWER, PlausibleDate, Year

router = APIRouter(tags=["accounts"])

# A page of movements: how many by default, at most, and how far in (`fast_reads` reads them too).
MOVEMENTS_PER_PAGE, MOST_MOVEMENTS_PER_PAGE, FURTHEST_OFFSET = 50, 500, 1_000_000


@router.get("/me", response_model=AccountView)
async def my_account(request: Request, authorization: Authorization = None) -> Response:
    async with asking(request, authorization) as (caller, uow):
        found = live(await queries.account_for(uow, caller, None))
    return answers.account(found)


@router.get("/accounts/{account_id}", response_model=AccountView)
async def get_account(account_id: uuid.UUID, request: Request, authorization: Authorization = None) -> Response:
    async with asking(request, authorization) as (caller, uow):
        found = live(await queries.account_for(uow, caller, account_id))
    return answers.account(found)


async def movement_filter(
    cause: Cause | None = None, since: PlausibleDate | None = None, until: PlausibleDate | None = None
) -> MovementFilter:
    """The estratto conto's filters, shared by the page and the CSV export."""
    return MovementFilter(cause, since, until)


FilterDep = Annotated[MovementFilter, Depends(movement_filter)]


@router.get("/accounts/{account_id}/movements", response_model=MovementPage)
async def list_movements(
    account_id: uuid.UUID,
    request: Request,
    where: FilterDep,
    limit: Annotated[int, Query(ge=1, le=MOST_MOVEMENTS_PER_PAGE)] = MOVEMENTS_PER_PAGE,
    offset: Annotated[int, Query(ge=0, le=FURTHEST_OFFSET)] = 0,
    authorization: Authorization = None,
) -> Response:
    async with asking(request, authorization) as (caller, uow):
        page = live(await queries.movements_for(uow, caller, account_id, where, limit, offset))
    return answers.movements(page, limit, offset)


@router.get("/accounts/{account_id}/movements.csv", response_class=Response, responses=CSV_ANSWER)
async def export_movements(account_id: AccountDep, uow: UowDep, who: PrincipalDep, where: FilterDep) -> Response:
    page = await queries.movements(uow, account_id, where, who, 100_000, 0)
    return Response(
        documents.movements_csv(page.lines),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="estratto-conto-{account_id}.csv"'},
    )


@router.get("/accounts/{account_id}/statements/{year}.pdf", response_class=Response, responses=PDF_ANSWER)
async def yearly_statement(
    account_id: AccountDep,
    year: Year,
    who: PrincipalDep,
    uow: UowDep,
    settings: SettingsDep,
    kind: PeriodKind = PeriodKind.CALENDAR,
    student_id: uuid.UUID | None = None,
) -> Response:
    """The statement for the tax return: a calendar year (the 730's) or, with `kind=school`, the
    school year starting in `year`; with `student_id`, for one child. Holder and office only."""
    found = await statement(uow, who, account_id, Period(kind, year), student_id)
    return Response(
        documents.statement_pdf(found, municipality=settings.municipality_name),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{statement_filename(found)}"'},
    )


def statement_filename(found: Statement) -> str:
    period = found.period
    return f"dichiarazione-mensa-{period.year}{'-scolastico' if period.kind is PeriodKind.SCHOOL else ''}.pdf"
