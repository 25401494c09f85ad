"""The gateway's read side on PostgreSQL: accounts, movements, searches, debtors, refunds,
statements, and the ledger's invariant."""

from __future__ import annotations

import functools
import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters.tables import account, enrolment, ledger_entry, refund, student
from accounts.domain.exceptions import AccountNotFound, StudentNotFound
from accounts.domain.ledger import Cause
from accounts.handlers.read_models import (
    AccountSummary,
    Debtor,
    DebtorOrder,
    FamilyFound,
    MealsPaid,
    MovementFilter,
    MovementLine,
    MovementPage,
    RefundToPay,
    StudentFound,
    StudentLine,
    Unbalanced,
)
from shared.local_time import midnight

_HOLDER = (account.c.holder_first_name, account.c.holder_last_name)
MOVEMENT_COLUMNS = (  # a MovementLine's, in its order
    ledger_entry.c.id,
    ledger_entry.c.cause,
    ledger_entry.c.amount_cents,
    ledger_entry.c.balance_after_cents,
    ledger_entry.c.description,
    ledger_entry.c.booked_at,
)


_ACCOUNT_SUMMARY = (  # an AccountSummary's, in its order, before its students
    account.c.id,
    account.c.holder_tax_code,
    *_HOLDER,
    account.c.email,
    account.c.phone,
    account.c.email_opt_out,
    account.c.sms_opt_out,
    account.c.io_opt_out,
    account.c.balance_cents,
)
_ACCOUNT_FIELDS = len(_ACCOUNT_SUMMARY)
_ACCOUNT_WITH_STUDENTS = (
    select(
        *_ACCOUNT_SUMMARY,
        student.c.id.label("student_id"),  # a StudentLine's, in its order
        student.c.first_name.label("student_first_name"),
        student.c.last_name.label("student_last_name"),
        enrolment.c.school_year,
        enrolment.c.school_id,
        enrolment.c.class_id,
        enrolment.c.active,
        enrolment.c.tariff_band,
    )
    .select_from(
        account.outerjoin(student, student.c.account_id == account.c.id).outerjoin(
            enrolment, enrolment.c.student_id == student.c.id
        )
    )
    .where(account.c.id == bindparam("account_id"))
    .order_by(student.c.last_name, student.c.first_name, enrolment.c.school_year)
)  # built once, as its cache key is (see `sql_sessions`)


class SqlAccountViews:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def account(self, account_id: uuid.UUID) -> AccountSummary:
        """In one statement: the account's row once per student and enrolment (or once alone)."""
        rows = (await self._conn.execute(_ACCOUNT_WITH_STUDENTS, {"account_id": account_id})).all()
        if not rows:
            raise AccountNotFound(account_id)
        students = [StudentLine(*row[_ACCOUNT_FIELDS:]) for row in rows if row.student_id is not None]
        return _summary(rows[0], students)

    async def movements(self, account_id: uuid.UUID, where: MovementFilter, limit: int, offset: int) -> MovementPage:
        """In one statement: the account (none: not found), how many movements match, one page."""
        params: dict[str, Any] = {"account_id": account_id, "limit": limit, "offset": offset}
        if where.cause:
            params["cause"] = where.cause.value
        if where.since:
            params["since"] = midnight(where.since)
        if where.until:
            params["until"] = midnight(where.until + timedelta(days=1))
        query = _movements_page(*(name in params for name in ("cause", "since", "until")))
        rows = (await self._conn.execute(query, params)).all()
        if not rows:
            raise AccountNotFound(account_id)
        lines = [MovementLine(*row[1:]) for row in rows if row.id is not None]
        return MovementPage(int(rows[0][0]), lines)

    async def search_families(self, text: str, limit: int) -> list[FamilyFound]:
        like = f"%{text}%"
        children = select(student.c.account_id).where(
            or_(student.c.tax_code.ilike(like), student.c.last_name.ilike(like), student.c.first_name.ilike(like))
        )
        rows = await self._conn.execute(
            select(account.c.id, *_HOLDER, account.c.holder_tax_code, account.c.balance_cents)
            .where(
                or_(
                    account.c.holder_tax_code.ilike(like),
                    account.c.holder_last_name.ilike(like),
                    account.c.holder_first_name.ilike(like),
                    account.c.id.in_(children),
                )
            )
            .order_by(account.c.holder_last_name, account.c.holder_first_name)
            .limit(limit)
        )
        return [FamilyFound(*row) for row in rows]

    async def search_students(self, text: str, limit: int) -> list[StudentFound]:
        like = f"%{text}%"
        rows = await self._conn.execute(
            _pupils()
            .where(
                or_(
                    student.c.tax_code.ilike(like),
                    student.c.last_name.ilike(like),
                    student.c.first_name.ilike(like),
                    (student.c.first_name + " " + student.c.last_name).ilike(like),
                    (student.c.last_name + " " + student.c.first_name).ilike(like),
                )
            )
            .order_by(student.c.last_name, student.c.first_name)
            .limit(limit)
        )
        return [StudentFound(*row) for row in rows]

    async def pupil(self, student_id: uuid.UUID) -> StudentFound:
        row = (await self._conn.execute(_pupils().where(student.c.id == student_id))).first()
        if row is None:
            raise StudentNotFound()
        return StudentFound(*row)

    async def debtors(
        self, order: DebtorOrder = "amount", limit: int = 1000, offset: int = 0
    ) -> tuple[int, list[Debtor]]:
        crossing = (  # the last movement that took each account from zero or more to below zero
            select(ledger_entry.c.account_id, func.max(ledger_entry.c.booked_at).label("since"))
            .where(
                ledger_entry.c.balance_after_cents < 0,
                ledger_entry.c.balance_after_cents - ledger_entry.c.amount_cents >= 0,
            )
            .group_by(ledger_entry.c.account_id)
            .subquery()
        )
        first = crossing.c.since.asc().nulls_last() if order == "since" else account.c.balance_cents
        rows = await self._conn.execute(
            select(account.c.id, *_HOLDER, account.c.balance_cents, crossing.c.since)
            .join(crossing, crossing.c.account_id == account.c.id, isouter=True)
            .where(account.c.balance_cents < 0)
            .order_by(first, account.c.id)
            .limit(limit)
            .offset(offset)
        )
        total = await self._conn.scalar(select(func.count()).where(account.c.balance_cents < 0))
        return int(total or 0), [Debtor(*row) for row in rows]

    async def refunds_to_pay(self) -> list[RefundToPay]:
        rows = await self._conn.execute(
            select(
                refund.c.id,
                refund.c.account_id,
                refund.c.amount_cents,
                refund.c.iban,
                *_HOLDER,
                refund.c.reason,
                refund.c.created_at,
            )
            .join(account, account.c.id == refund.c.account_id)
            .where(refund.c.paid_at.is_(None))
            .order_by(refund.c.created_at)
        )
        return [RefundToPay(*row) for row in rows]

    async def meals_paid(self, account_id: uuid.UUID, first: date, after: date) -> list[MealsPaid]:
        charged = func.count().filter(ledger_entry.c.cause == Cause.MEAL.value)
        reversed_ = func.count().filter(ledger_entry.c.cause == Cause.MEAL_REVERSAL.value)
        rows = await self._conn.execute(
            select(
                ledger_entry.c.student_id, (charged - reversed_).label("meals"), func.sum(-ledger_entry.c.amount_cents)
            )
            .where(
                _between(account_id, first, after),
                ledger_entry.c.cause.in_([Cause.MEAL.value, Cause.MEAL_REVERSAL.value]),
            )
            .group_by(ledger_entry.c.student_id)
        )
        return [MealsPaid(row.student_id, row.meals, int(row[2] or 0)) for row in rows]

    async def traceable_payments(self, account_id: uuid.UUID, first: date, after: date) -> int:
        total = await self._conn.scalar(
            select(func.coalesce(func.sum(ledger_entry.c.amount_cents), 0)).where(
                _between(account_id, first, after), ledger_entry.c.cause == Cause.TOP_UP.value
            )
        )
        return int(total or 0)

    async def unbalanced(self) -> list[Unbalanced]:
        sums = (
            select(ledger_entry.c.account_id, func.sum(ledger_entry.c.amount_cents).label("total"))
            .group_by(ledger_entry.c.account_id)
            .subquery()
        )
        movements = func.coalesce(sums.c.total, 0)
        rows = await self._conn.execute(
            select(account.c.id, account.c.balance_cents, movements)
            .join(sums, sums.c.account_id == account.c.id, isouter=True)
            .where(account.c.balance_cents != movements)
        )
        return [Unbalanced(row[0], row[1], int(row[2])) for row in rows]

    async def account_count(self) -> int:
        return int(await self._conn.scalar(select(func.count()).select_from(account)) or 0)


def _summary(row: Any, students: list[StudentLine]) -> AccountSummary:
    return AccountSummary(
        row.id,
        row.holder_tax_code,
        row.holder_first_name,
        row.holder_last_name,
        row.email,
        row.phone,
        row.email_opt_out,
        row.sms_opt_out,
        row.io_opt_out,
        row.balance_cents,
        students,
    )


def _pupils() -> Select[Any]:
    """Pupils with their family's holder and their latest enrolment's school and class."""
    latest = (
        select(enrolment.c.student_id, enrolment.c.school_id, enrolment.c.class_id)
        .distinct(enrolment.c.student_id)
        .order_by(enrolment.c.student_id, enrolment.c.school_year.desc())
        .subquery()
    )
    return (
        select(
            student.c.id,
            student.c.account_id,
            student.c.first_name,
            student.c.last_name,
            student.c.tax_code,
            latest.c.school_id,
            latest.c.class_id,
            *_HOLDER,
        )
        .join(account, account.c.id == student.c.account_id)
        .join(latest, latest.c.student_id == student.c.id, isouter=True)
    )


@functools.cache
def _movements_page(cause: bool, since: bool, until: bool) -> Select[Any]:
    """The estratto conto's statement for the filters in use, built once for each combination
    (as its cache key is: see `_ACCOUNT_WITH_STUDENTS`); the values are bound when it runs."""
    conditions = [ledger_entry.c.account_id == bindparam("account_id")]
    if cause:
        conditions.append(ledger_entry.c.cause == bindparam("cause"))
    if since:
        conditions.append(ledger_entry.c.booked_at >= bindparam("since"))
    if until:
        conditions.append(ledger_entry.c.booked_at < bindparam("until"))
    total = select(func.count()).select_from(ledger_entry).where(*conditions).scalar_subquery()
    matching = select(*MOVEMENT_COLUMNS, ledger_entry.c.seq).where(*conditions).order_by(ledger_entry.c.seq.desc())
    page = matching.limit(bindparam("limit")).offset(bindparam("offset")).lateral("page")
    return (
        select(total, *(page.c[c.name] for c in MOVEMENT_COLUMNS))
        .select_from(account.outerjoin(page, true()))
        .where(account.c.id == bindparam("account_id"))
        .order_by(page.c.seq.desc())
    )


def _between(account_id: uuid.UUID, first: date, after: date) -> ColumnElement[bool]:
    """Booked on `first` or later and before `after`, days as they are in Rome."""
    return and_(
        ledger_entry.c.account_id == account_id,
        ledger_entry.c.booked_at >= midnight(first),
        ledger_entry.c.booked_at < midnight(after),
    )
