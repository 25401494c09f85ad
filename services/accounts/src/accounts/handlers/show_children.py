"""Figli: each child enrolled this school year with school, class, diet and tariff (the price a
meal costs today), and their month at school day by day (`domain.school_days`): meals eaten,
absences, closures and strikes, and whether an absence can still be announced or withdrawn.

The calendar of the month comes from attendance (one call per school, one per child, at once); a month
outside the current school year shows the enrolment of its own school year.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from accounts.domain.desk import DeskRules
from accounts.domain.school_days import ChildMonth, SchoolMonth, month_of
from accounts.handlers.charge_for_meals import prices_of
from accounts.handlers.ports import AccountsUnitOfWork, AttendanceGateway
from accounts.handlers.read_models import ChildEnrolment
from shared.school_year import SchoolYear


@dataclass(frozen=True)
class ChildAtSchool:
    child: ChildEnrolment
    price_cents: int  # what a meal costs on the first day of the month shown, or today in this month
    month: ChildMonth


async def show_children(
    uow: AccountsUnitOfWork,
    attendance: AttendanceGateway,
    rules: DeskRules,
    account_id: uuid.UUID,
    month: date,
    now: datetime,
) -> list[ChildAtSchool]:
    priced_on = now.date() if (now.year, now.month) == (month.year, month.month) else month
    async with uow:
        children = await uow.portal.children(account_id, SchoolYear.of(month))
        prices = await prices_of(uow, rules.pricing, [(account_id, c.student_id, priced_on) for c in children])
    names = list(dict.fromkeys(c.school_id for c in children))
    months, attended = await asyncio.gather(
        asyncio.gather(*(attendance.school_month(school, month) for school in names)),
        asyncio.gather(*(attendance.attended(c.student_id, month) for c in children)),
    )
    schools: dict[str, SchoolMonth] = dict(zip(names, months, strict=True))
    return [
        ChildAtSchool(child, price, month_of(month, child.class_id, schools[child.school_id], meals, now))
        for child, price, meals in zip(children, prices, attended, strict=True)
    ]
