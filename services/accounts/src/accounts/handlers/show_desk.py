"""The Scrivania: the family's balance and its state, how far it goes, the latest movements,
the balance month by month, and what the Comune announced for the children's schools.

Debts stay hidden from a guardian who is not the holder (the API's rule, `Principal`): the
balance only when it is not negative, and never the running balance or its history.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters import desk_queries
from accounts.config import AccountsSettings
from accounts.domain.desk import (
    BalanceState,
    Child,
    Forecast,
    MonthTotals,
    SchoolCalendar,
    balance_state,
    forecast,
    last_months,
    month_series,
)
from accounts.domain.users import Principal
from accounts.handlers import queries
from accounts.handlers.queries import MovementFilter
from shared.http import HttpError

Calendars = Callable[[Iterable[str], Iterable[date]], Awaitable[dict[str, SchoolCalendar]]]
MONTHS_SHOWN = 6
MONTHS_AHEAD = 3
NOTICE_DAYS = 14


@dataclass(frozen=True)
class Notice:
    """A closure ahead for one of the children: what the Comune announced."""

    day: date
    child: str
    kind: str
    reason: str


@dataclass(frozen=True)
class Desk:
    account: dict[str, Any]
    balance_cents: int | None  # None: a debt this person may not see
    state: BalanceState | None
    forecast: Forecast | None  # None when there is nothing to forecast, or no calendar
    children: list[Child]
    movements: list[dict[str, Any]]
    months: list[MonthTotals] | None  # None when the running balance is not for this person
    notices: list[Notice]
    version: int  # the ledger position shown: an update is due when it moves


async def desk_version(conn: AsyncConnection, account_id: uuid.UUID) -> int:
    return await desk_queries.latest_seq(conn, account_id)


async def show_desk(
    conn: AsyncConnection,
    calendars: Calendars,
    settings: AccountsSettings,
    who: Principal,
    account_id: uuid.UUID,
    today: date,
) -> Desk:
    summary = await queries.account_summary(conn, account_id)
    version = await desk_queries.latest_seq(conn, account_id)
    balance = who.visible_balance(summary["account"]["balance_cents"])
    children = await desk_queries.children_today(
        conn, account_id, today, settings.meal_price_cents, settings.sibling_discount_percent
    )
    _, movements = await queries.movements(conn, account_id, MovementFilter(), 5, 0)
    months = await _months(conn, account_id, today) if who.sees_debts else None
    school_calendars = await _calendars(calendars, children, today)
    return Desk(
        account=summary["account"],
        balance_cents=balance,
        state=None
        if balance is None
        else balance_state(balance, _meal_cents(children, settings), settings.low_credit_meals),
        forecast=_forecast(balance, children, school_calendars, today),
        children=children,
        movements=movements,
        months=months,
        notices=_notices(children, school_calendars, today),
        version=version,
    )


def _meal_cents(children: list[Child], settings: AccountsSettings) -> int:
    paying = [c.price_cents for c in children if c.price_cents > 0]
    return sum(paying) // len(paying) if paying else settings.meal_price_cents


async def _months(conn: AsyncConnection, account_id: uuid.UUID, today: date) -> list[MonthTotals]:
    months = last_months(today, MONTHS_SHOWN)
    opening, moved = await desk_queries.month_totals(conn, account_id, months[0])
    return month_series(opening, moved, months)


async def _calendars(calendars: Calendars, children: list[Child], today: date) -> dict[str, SchoolCalendar] | None:
    """None when attendance cannot answer now: the Scrivania shows the rest without a forecast."""
    if not children:
        return {}
    ahead = [(today.replace(day=1) + timedelta(days=32 * i)).replace(day=1) for i in range(MONTHS_AHEAD)]
    try:
        return await calendars({c.school_id for c in children}, ahead)
    except HttpError as error:
        if error.status == 503:
            return None
        raise


def _forecast(
    balance: int | None, children: list[Child], found: dict[str, SchoolCalendar] | None, today: date
) -> Forecast | None:
    if balance is None or not children or found is None:
        return None
    horizon = (today.replace(day=1) + timedelta(days=32 * MONTHS_AHEAD)).replace(day=1) - timedelta(days=1)
    return forecast(balance, children, found, today, horizon)


def _notices(children: list[Child], found: dict[str, SchoolCalendar] | None, today: date) -> list[Notice]:
    until = today + timedelta(days=NOTICE_DAYS)
    notices = {
        Notice(c.day, child.first_name, c.kind, c.reason)
        for child in children
        for c in (found or {}).get(child.school_id, SchoolCalendar(frozenset())).closures
        if today <= c.day <= until and c.class_id in ("", child.class_id)
    }
    return sorted(notices, key=lambda n: (n.day, n.child))
