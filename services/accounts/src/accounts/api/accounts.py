"""An account as its family and the office see it: balance, students, movements, statements.

A parent reaches only their own account (any other is "not found"); staff reach every account.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from accounts.api import documents
from accounts.api.dependencies import AccountDep, PrincipalDep, SettingsDep, UowDep
from accounts.api.schemas import AccountView, Amount, MovementPage, MovementView, StudentView
from accounts.domain.exceptions import AccountNotFound
from accounts.domain.ledger import Cause
from accounts.domain.statements import Period, PeriodKind
from accounts.handlers import queries
from accounts.handlers.read_models import AccountSummary, MovementFilter, MovementLine, Statement
from accounts.handlers.statement import statement
from shared.edge import CSV_ANSWER, PDF_ANSWER, PlausibleDate, Year

router = APIRouter(tags=["accounts"])


@router.get("/me")
async def my_account(who: PrincipalDep, uow: UowDep) -> AccountView:
    if who.account_id is None:
        raise AccountNotFound()
    return _account_view(await queries.account(uow, who.account_id, who))


@router.get("/accounts/{account_id}")
async def get_account(account_id: AccountDep, uow: UowDep, who: PrincipalDep) -> AccountView:
    return _account_view(await queries.account(uow, account_id, who))


async def movement_filter(
    cause: Cause | None = None, since: PlausibleDate | None = None, until: PlausibleDate | None = None
) -> MovementFilter:
    """The estratto conto's filters, shared by the page and the CSV export."""
    return MovementFilter(cause, since, until)


FilterDep = Annotated[MovementFilter, Depends(movement_filter)]


@router.get("/accounts/{account_id}/movements")
async def list_movements(
    account_id: AccountDep,
    uow: UowDep,
    who: PrincipalDep,
    where: FilterDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> MovementPage:
    page = await queries.movements(uow, account_id, where, who, limit, offset)
    return MovementPage(total=page.total, limit=limit, offset=offset, items=[_movement_view(m) for m in page.lines])


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


def _account_view(found: AccountSummary) -> AccountView:
    return AccountView(
        account_id=found.account_id,
        holder_first_name=found.holder_first_name,
        holder_last_name=found.holder_last_name,
        email=found.email,
        phone=found.phone,
        email_opt_out=found.email_opt_out,
        sms_opt_out=found.sms_opt_out,
        io_opt_out=found.io_opt_out,
        balance=_amount(found.balance_cents),
        students=[StudentView.model_validate(s, from_attributes=True) for s in found.students],
    )


def _movement_view(line: MovementLine) -> MovementView:
    return MovementView(
        entry_id=line.entry_id,
        cause=line.cause,
        amount=Amount.of(line.amount_cents),
        balance_after=_amount(line.balance_after_cents),
        description=line.description,
        booked_at=line.booked_at,
    )


def _amount(cents: int | None) -> Amount | None:
    return None if cents is None else Amount.of(cents)
