"""An account as its family and the office see it: balance, students, movements, statements.

A parent reaches only their own account (any other is "not found"); staff reach every account.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from accounts.adapters import statement_pdf
from accounts.api.dependencies import AccountDep, PrincipalDep, SettingsDep
from accounts.api.schemas import AccountView, Amount, MovementPage, MovementView, StudentView
from accounts.domain.exceptions import AccountNotFound
from accounts.domain.ledger import Cause
from accounts.handlers import queries
from accounts.handlers.queries import MovementFilter
from shared.dependencies import InfraDep

router = APIRouter(tags=["accounts"])


@router.get("/me")
async def my_account(who: PrincipalDep, infra: InfraDep) -> AccountView:
    if who.account_id is None:
        raise AccountNotFound()
    return await get_account(who.account_id, infra, who)


@router.get("/accounts/{account_id}")
async def get_account(account_id: AccountDep, infra: InfraDep, who: PrincipalDep) -> AccountView:
    async with infra.engine.connect() as conn:
        summary = await queries.account_summary(conn, account_id)
    row = summary["account"]
    return AccountView(
        account_id=row["id"],
        holder_first_name=row["holder_first_name"],
        holder_last_name=row["holder_last_name"],
        email=row["email"],
        phone=row["phone"],
        email_opt_out=row["email_opt_out"],
        sms_opt_out=row["sms_opt_out"],
        balance=_amount(who.visible_balance(row["balance_cents"])),
        students=[StudentView(student_id=s.pop("id"), **s) for s in summary["students"]],
    )


def _amount(cents: int | None) -> Amount | None:
    return None if cents is None else Amount.of(cents)


def movement_filter(cause: Cause | None = None, since: date | None = None, until: date | None = None) -> MovementFilter:
    """The estratto conto's filters, shared by the page and the CSV export."""
    return MovementFilter(cause, since, until)


FilterDep = Annotated[MovementFilter, Depends(movement_filter)]


@router.get("/accounts/{account_id}/movements")
async def list_movements(
    account_id: AccountDep,
    infra: InfraDep,
    who: PrincipalDep,
    where: FilterDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> MovementPage:
    async with infra.engine.connect() as conn:
        total, rows = await queries.movements(conn, account_id, where, limit, offset)
    return MovementPage(
        total=total,
        limit=limit,
        offset=offset,
        items=[
            MovementView(
                entry_id=r["id"],
                cause=r["cause"],
                amount=Amount.of(r["amount_cents"]),
                balance_after=Amount.of(r["balance_after_cents"]) if who.sees_debts else None,
                description=r["description"],
                booked_at=r["booked_at"],
            )
            for r in rows
        ],
    )


@router.get("/accounts/{account_id}/movements.csv")
async def export_movements(
    account_id: AccountDep,
    infra: InfraDep,
    who: PrincipalDep,
    where: FilterDep,
) -> Response:
    async with infra.engine.connect() as conn:
        _, rows = await queries.movements(conn, account_id, where, 100_000, 0)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["data", "causale", "descrizione", "importo", "saldo"])
    for r in rows:
        writer.writerow(
            [
                r["booked_at"].date().isoformat(),
                r["cause"],
                r["description"],
                f"{r['amount_cents'] / 100:.2f}".replace(".", ","),
                f"{r['balance_after_cents'] / 100:.2f}".replace(".", ",") if who.sees_debts else "",
            ]
        )
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="estratto-conto-{account_id}.csv"'},
    )


@router.get("/accounts/{account_id}/statements/{year}.pdf")
async def yearly_statement(account_id: AccountDep, year: int, infra: InfraDep, settings: SettingsDep) -> Response:
    async with infra.engine.connect() as conn:
        statement = await queries.yearly_statement(conn, account_id, year)
    pdf = statement_pdf.render(statement, year, municipality=settings.municipality_name)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="attestazione-mensa-{year}.pdf"'},
    )
