"""The gateway's read side on PostgreSQL: accounts, movements, searches, debtors, refunds,
statements, and the ledger's invariant."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters.driver import driver
from accounts.adapters.sql_sessions import LIVE_USER_AS_ME, LIVE_USER_COLUMNS, live_user_of
from accounts.adapters.tables import account, enrolment, ledger_entry, refund, student
from accounts.domain.exceptions import AccountNotFound, StudentNotFound
from accounts.domain.ledger import Cause
from accounts.domain.users import OFFICE_ROLES, SessionCheck
from accounts.handlers.read_models import (
    AccountSummary,
    Asked,
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


# The hot reads run on the driver's connection (`driver`): asyncpg prepares each statement once
# per connection, and nothing else stands between the row and the read model. Asked with a
# session, each checks the session in the same statement (`LIVE_USER_AS_ME`, `$1`-`$3`): one round
# trip, not two. It reads an account only if the session's user may see it (`$5`: the roles that
# see every family, `domain.users.OFFICE_ROLES`); `queries` decides again on what it returns.
_ACCOUNT_COLUMNS = (  # an AccountSummary's columns in its order, then a StudentLine's
    "a.id, a.holder_tax_code, a.holder_first_name, a.holder_last_name, a.email, a.phone,"
    " a.email_opt_out, a.sms_opt_out, a.io_opt_out, a.balance_cents,"
    " s.id, s.first_name, s.last_name, e.school_year, e.school_id, e.class_id, e.active, e.tariff_band"
)
_ACCOUNT_AND_STUDENTS = (  # the account's row once per student and enrolment (or once alone)
    "account a LEFT JOIN student s ON s.account_id = a.id LEFT JOIN enrolment e ON e.student_id = s.id"
)
_BY_STUDENT = " ORDER BY s.last_name, s.first_name, e.school_year"
# Only fixed fragments are composed into these statements: every value is a parameter.
_ACCOUNT_WITH_STUDENTS = f"SELECT {_ACCOUNT_COLUMNS} FROM {_ACCOUNT_AND_STUDENTS} WHERE a.id = $1{_BY_STUDENT}"  # noqa: S608
_ACCOUNT_ASKED = (  # `$4` the account, or NULL for the user's own
    f"{LIVE_USER_AS_ME} SELECT me.*, {_ACCOUNT_COLUMNS} FROM me LEFT JOIN ({_ACCOUNT_AND_STUDENTS})"  # noqa: S608
    " ON a.id = coalesce($4, me.account_id) AND (a.id = me.account_id OR me.role = ANY($5))"
    f"{_BY_STUDENT}"
)
_ACCOUNT_FIELDS = 10
_OFFICE_ROLES = [role.value for role in OFFICE_ROLES]


class SqlAccountViews:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def account(self, account_id: uuid.UUID) -> AccountSummary:
        found = _summary(await driver(self._conn).fetch(_ACCOUNT_WITH_STUDENTS, account_id))
        if found is None:
            raise AccountNotFound(account_id)
        return found

    async def account_asked(self, check: SessionCheck, account_id: uuid.UUID | None) -> Asked[AccountSummary] | None:
        connection = driver(self._conn)
        rows = await connection.fetch(_ACCOUNT_ASKED, *_session(check), account_id, _OFFICE_ROLES)
        if not rows:
            return None
        user = await live_user_of(connection, rows[0], check)
        return Asked(user, _summary([row[LIVE_USER_COLUMNS:] for row in rows]))

    async def movements(self, account_id: uuid.UUID, where: MovementFilter, limit: int, offset: int) -> MovementPage:
        """In one statement: the account (none: not found), how many movements match, one page."""
        used, values = _filters(where)
        rows = await driver(self._conn).fetch(_movements_page(used), account_id, limit, offset, *values)
        if not rows:
            raise AccountNotFound(account_id)
        return MovementPage(int(rows[0][0]), [MovementLine(*row[1:]) for row in rows if row[1] is not None])

    async def movements_asked(
        self, check: SessionCheck, account_id: uuid.UUID, where: MovementFilter, limit: int, offset: int
    ) -> Asked[MovementPage] | None:
        used, values = _filters(where)
        connection = driver(self._conn)
        session = _session(check)
        rows = await connection.fetch(
            _movements_asked(used), *session, account_id, _OFFICE_ROLES, limit, offset, *values
        )
        if not rows:
            return None
        first, seen, total = rows[0], LIVE_USER_COLUMNS, LIVE_USER_COLUMNS + 1
        user = await live_user_of(connection, first, check)
        if first[seen] is None:
            return Asked(user, None)
        return Asked(user, MovementPage(int(first[total]), [MovementLine(*row[total + 1 : -1]) for row in rows[1:]]))

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
        self, order: DebtorOrder = "amount", limit: int = 1000, offset: int = 0, holder: str = ""
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
        in_debt = [account.c.balance_cents < 0] + (
            [or_(*(column.icontains(holder, autoescape=True) for column in _HOLDER))] if holder else []
        )
        rows = await self._conn.execute(
            select(account.c.id, *_HOLDER, account.c.balance_cents, crossing.c.since)
            .join(crossing, crossing.c.account_id == account.c.id, isouter=True)
            .where(*in_debt)
            .order_by(first, account.c.id)
            .limit(limit)
            .offset(offset)
        )
        total = await self._conn.scalar(select(func.count()).select_from(account).where(*in_debt))
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


def _session(check: SessionCheck) -> tuple[str, datetime, datetime]:
    """`LIVE_USER_AS_ME`'s parameters."""
    return check.digest, check.now, check.idle_since


def _summary(rows: Sequence[Sequence[Any]]) -> AccountSummary | None:
    """An account from `_ACCOUNT_COLUMNS` rows; None if there is none (no rows, or no account)."""
    if not rows or rows[0][0] is None:
        return None
    students = [StudentLine(*row[_ACCOUNT_FIELDS:]) for row in rows if row[_ACCOUNT_FIELDS] is not None]
    account_id, tax_code, first_name, last_name, email, phone, email_off, sms_off, io_off, balance = rows[0][
        :_ACCOUNT_FIELDS
    ]
    return AccountSummary(
        account_id, tax_code, first_name, last_name, email, phone, email_off, sms_off, io_off, balance, students
    )


def _filters(where: MovementFilter) -> tuple[tuple[str, ...], list[Any]]:
    """The filters in use, by name, and their values in that order."""
    filters = {
        "cause": where.cause.value if where.cause else None,
        "since": midnight(where.since) if where.since else None,
        "until": midnight(where.until + timedelta(days=1)) if where.until else None,
    }
    used = tuple(name for name, value in filters.items() if value is not None)
    return used, [filters[name] for name in used]


_MOVEMENT_CONDITIONS = {"cause": "cause = ${}", "since": "booked_at >= ${}", "until": "booked_at < ${}"}


_PAGE_COLUMNS = ", ".join(column.name for column in MOVEMENT_COLUMNS)


def _matching(account: str, filters: tuple[str, ...], first: int) -> str:
    """The movements of `account` (an SQL expression) that pass the filters in use, their values
    in parameters from `first` on. Only these fixed fragments are composed into the statements:
    every value is a parameter."""
    conditions = (_MOVEMENT_CONDITIONS[name].format(n) for n, name in enumerate(filters, start=first))
    return " AND ".join([f"account_id = {account}", *conditions])


@functools.cache
def _movements_page(filters: tuple[str, ...]) -> str:
    """The estratto conto's statement for the filters in use (`$1` the account, `$2` the page's
    size, `$3` its offset, then the filters' values in order), written once per combination: the
    account (none: no row), how many movements match, and one page of them, newest first."""
    matching = _matching("$1", filters, first=4)
    page = ", ".join(f"p.{column.name}" for column in MOVEMENT_COLUMNS)
    return (
        f"SELECT (SELECT count(*) FROM ledger_entry WHERE {matching}), {page}"  # noqa: S608
        f" FROM account LEFT JOIN LATERAL (SELECT {_PAGE_COLUMNS}, seq FROM ledger_entry WHERE {matching}"
        " ORDER BY seq DESC LIMIT $2 OFFSET $3) p ON true WHERE account.id = $1 ORDER BY p.seq DESC"
    )


@functools.cache
def _movements_asked(filters: tuple[str, ...]) -> str:
    """`_movements_page` with the session checked in the same statement (`$1`-`$3`; `$4` the
    account, `$5` the roles that see every family, `$6` and `$7` the page, then the filters). The
    first row is the session's user, the account if they may see it, and the count; a row per
    movement follows, with the user's columns NULL: written once, not once per movement. Each
    row ends with the movement's `seq`, to order them."""
    matching = _matching("(SELECT id FROM seen)", filters, first=8)
    no_user = ", ".join(["NULL"] * (LIVE_USER_COLUMNS + 2))
    no_movement = ", ".join(["NULL"] * len(MOVEMENT_COLUMNS))
    return (
        f"{LIVE_USER_AS_ME}, seen AS (SELECT account.id FROM me JOIN account ON account.id = $4"  # noqa: S608
        " AND (account.id = me.account_id AND me.is_holder OR me.role = ANY($5)))"
        f" SELECT me.*, (SELECT id FROM seen), (SELECT count(*) FROM ledger_entry WHERE {matching}),"
        f" {no_movement}, NULL AS seq FROM me"
        f" UNION ALL SELECT {no_user}, {_PAGE_COLUMNS}, seq FROM (SELECT {_PAGE_COLUMNS}, seq FROM ledger_entry"
        f" WHERE {matching} ORDER BY seq DESC LIMIT $6 OFFSET $7) p ORDER BY seq DESC NULLS FIRST"
    )


def _between(account_id: uuid.UUID, first: date, after: date) -> ColumnElement[bool]:
    """Booked on `first` or later and before `after`, days as they are in Rome."""
    return and_(
        ledger_entry.c.account_id == account_id,
        ledger_entry.c.booked_at >= midnight(first),
        ledger_entry.c.booked_at < midnight(after),
    )
