"""The Scrivania as JSON, for clients other than the portal's pages (same handler, same rules)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel

from accounts.api.dependencies import AccountDep, GatewaysDep, PrincipalDep, SettingsDep, UowDep
from accounts.api.schemas import Amount
from accounts.handlers.show_desk import show_desk
from shared import local_time

router = APIRouter(tags=["accounts"])


class ForecastView(BaseModel):
    meals: int
    until_about: date | None
    beyond_horizon: bool


class MonthView(BaseModel):
    month: str
    credits: Amount
    debits: Amount
    closing_balance: Amount


class DeskView(BaseModel):
    balance: Amount | None
    state: str | None
    forecast: ForecastView | None
    months: list[MonthView] | None
    version: int


@router.get("/accounts/{account_id}/desk")
async def desk(
    account_id: AccountDep, who: PrincipalDep, uow: UowDep, other: GatewaysDep, settings: SettingsDep
) -> DeskView:
    """Balance and its state (in_credit, low, in_debt), how many meals it covers and until about
    when, the balance month by month (holders and staff only). `version` moves with the ledger."""
    today = local_time.today()
    found = await show_desk(uow, other.attendance, settings.desk_rules, who, account_id, today)
    f = found.forecast
    return DeskView(
        balance=None if found.balance_cents is None else Amount.of(found.balance_cents),
        state=found.state.value if found.state else None,
        forecast=ForecastView(meals=f.meals, until_about=f.last_day, beyond_horizon=f.beyond_horizon) if f else None,
        months=None
        if found.months is None
        else [
            MonthView(
                month=f"{m.month:%Y-%m}",
                credits=Amount.of(m.credits_cents),
                debits=Amount.of(m.debits_cents),
                closing_balance=Amount.of(m.closing_cents or 0),
            )
            for m in found.months
        ],
        version=found.version,
    )
