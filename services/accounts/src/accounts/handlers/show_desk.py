"""The Scrivania: the family's balance and its state, how far it goes, the latest movements,
the balance month by month, and what the Comune announced for the children's schools.

The account's money stays hidden from a guardian who is not the holder (the API's rule,
`Principal.sees_debts`): no balance, no forecast, no movements, no history. They see the
children's closures and the way to top up.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from accounts.domain.desk import (
    BalanceState,
    Child,
    DeskRules,
    Forecast,
    MonthTotals,
    SchoolCalendar,
    balance_state,
    forecast,
    last_months,
    month_series,
)
from accounts.domain.users import Principal
from accounts.handlers.charge_for_meals import prices_of
from accounts.handlers.ports import AccountsUnitOfWork, AttendanceGateway
from accounts.handlers.queries import as_seen_by
from accounts.handlers.read_models import AccountSummary, MovementFilter, MovementLine
from shared.school_year import SchoolYear

MONTHS_SHOWN = 6
MONTHS_AHEAD = 3
NOTICE_DAYS = 14
MOVEMENTS_SHOWN = 5


@dataclass(frozen=True)
class Notice:
    """A closure ahead for one of the children: what the Comune announced."""

    day: date
    child: str
    kind: str
    reason: str


@dataclass(frozen=True)
class Desk:
    account: AccountSummary  # its balance is None for a debt this person may not see
    state: BalanceState | None
    forecast: Forecast | None  # None when there is nothing to forecast, or no calendar
    children: list[Child]
    movements: list[MovementLine]  # none for a guardian who is not the holder
    months: list[MonthTotals] | None  # None when the running balance is not for this person
    notices: list[Notice]
    version: int  # the ledger position shown: an update is due when it moves

    @property
    def balance_cents(self) -> int | None:
        return self.account.balance_cents


async def desk_version(uow: AccountsUnitOfWork, account_id: uuid.UUID) -> int:
    async with uow:
        return await uow.desk.ledger_position(account_id)


async def show_desk(
    uow: AccountsUnitOfWork,
    attendance: AttendanceGateway,
    rules: DeskRules,
    who: Principal,
    account_id: uuid.UUID,
    today: date,
) -> Desk:
    async with uow:
        account = as_seen_by(who, await uow.views.account(account_id))
        version = await uow.desk.ledger_position(account_id)
        children = await _children(uow, rules, account_id, today)
        movements = await _latest(uow, account_id) if who.sees_debts else []
        months = await _months(uow, account_id, today) if who.sees_debts else None
    calendars = await _calendars(attendance, children, today)
    balance = account.balance_cents
    return Desk(
        account=account,
        state=None if balance is None else balance_state(balance, _meal_cents(children, rules), rules.low_credit_meals),
        forecast=_forecast(balance, children, calendars, today),
        children=children,
        movements=movements,
        months=months,
        notices=_notices(children, calendars, today),
        version=version,
    )


async def _children(uow: AccountsUnitOfWork, rules: DeskRules, account_id: uuid.UUID, today: date) -> list[Child]:
    """The children enrolled this school year, each at the price a meal eaten today would be charged."""
    enrolled = await uow.desk.children_enrolled(account_id, SchoolYear.of(today))
    prices = await prices_of(uow, rules.pricing, [(account_id, c.student_id, today) for c in enrolled])
    return [Child(c.first_name, c.school_id, c.class_id, p) for c, p in zip(enrolled, prices, strict=True)]


async def _latest(uow: AccountsUnitOfWork, account_id: uuid.UUID) -> list[MovementLine]:
    return (await uow.views.movements(account_id, MovementFilter(), MOVEMENTS_SHOWN, 0)).lines


def _meal_cents(children: list[Child], rules: DeskRules) -> int:
    paying = [c.price_cents for c in children if c.price_cents > 0]
    return sum(paying) // len(paying) if paying else rules.pricing.default_cents


async def _months(uow: AccountsUnitOfWork, account_id: uuid.UUID, today: date) -> list[MonthTotals]:
    months = last_months(today, MONTHS_SHOWN)
    opening, moved = await uow.desk.month_totals(account_id, months[0])
    return month_series(opening, moved, months)


async def _calendars(
    attendance: AttendanceGateway, children: list[Child], today: date
) -> dict[str, SchoolCalendar] | None:
    """None when attendance cannot answer now: the Scrivania shows the rest without a forecast."""
    ahead = [(today.replace(day=1) + timedelta(days=32 * i)).replace(day=1) for i in range(MONTHS_AHEAD)]
    schools = list(dict.fromkeys(c.school_id for c in children))
    calendars = await asyncio.gather(*(attendance.school_calendar(school, ahead) for school in schools))
    if any(calendar is None for calendar in calendars):
        return None
    return {school: calendar for school, calendar in zip(schools, calendars, strict=True) if calendar is not None}


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
