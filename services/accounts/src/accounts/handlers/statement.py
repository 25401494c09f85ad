"""The statement of canteen expenses for the tax return ("Dichiarazione per il 730"), for a
calendar or school year, for the whole family or one child. The holder's and the office's only:
meals and payments side by side would tell a guardian the balance."""

from __future__ import annotations

import uuid

from accounts.domain.statements import Period, deductible
from accounts.domain.users import Principal
from accounts.handlers.ports import AccountsUnitOfWork
from accounts.handlers.queries import holder_only
from accounts.handlers.read_models import Statement


async def statement(
    uow: AccountsUnitOfWork, who: Principal, account_id: uuid.UUID, period: Period, student_id: uuid.UUID | None = None
) -> Statement:
    holder_only(who)
    async with uow:
        if student_id is not None:
            await uow.families.student_of(account_id, student_id)  # `StudentNotFound` for another's child
        account = await uow.views.account(account_id)
        meals = await uow.views.meals_paid(account_id, period.first_day, period.after)
        traceable = await uow.views.traceable_payments(account_id, period.first_day, period.after)
    shares = deductible({m.student_id: m.cents for m in meals}, traceable)
    if student_id is not None:
        meals = [m for m in meals if m.student_id == student_id]
    return Statement(account, period, meals, traceable, shares)
