"""Tariff bands, prices and sibling discounts on PostgreSQL, and what pricing a batch of meals
reads: the families' enrolment changes of those school years, and their tariffs.

A tariff row that priced a meal is named by the meal's ledger entry (`price_row`,
`discount_row`); `book(lock="share")` keeps the rows a batch priced with as they are until it
commits, and a change (`lock="update"`) waits for it, then sees its meals.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection
from datetime import date
from typing import Any, Literal

from sqlalchemy import Select, String, Uuid, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters.tables import (
    enrolment_change,
    ledger_entry,
    sibling_discount,
    student,
    tariff_band,
    tariff_price,
)
from accounts.domain.tariffs import EnrolmentChange, PriceList, TariffBook, discount_row, price_row
from shared.school_year import SchoolYear

_NAMES = ARRAY(String)


class SqlTariffs:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def has_band(self, band_id: str, school_year: str) -> bool:
        found = await self._conn.scalar(
            select(tariff_band.c.id).where(tariff_band.c.id == band_id, tariff_band.c.school_year == school_year)
        )
        return found is not None

    async def bands(self, year: SchoolYear) -> dict[str, str]:
        rows = await self._conn.execute(
            select(tariff_band.c.id, tariff_band.c.name)
            .where(tariff_band.c.school_year == str(year))
            .order_by(tariff_band.c.name)
        )
        return {row.id: row.name for row in rows}

    async def set_tariff(self, school_year: str, band_id: str, name: str, prices: PriceList) -> None:
        band = insert(tariff_band).values(id=band_id, school_year=school_year, name=name)
        await self._conn.execute(
            band.on_conflict_do_update(
                index_elements=[tariff_band.c.id, tariff_band.c.school_year], set_={"name": name}
            )
        )
        price = insert(tariff_price).values(
            [
                {"band_id": band_id, "school_year": school_year, "effective_from": day, "meal_price_cents": cents}
                for day, cents in prices
            ]
        )
        await self._conn.execute(
            price.on_conflict_do_update(
                index_elements=[tariff_price.c.band_id, tariff_price.c.school_year, tariff_price.c.effective_from],
                set_={"meal_price_cents": price.excluded.meal_price_cents},
            )
        )

    async def set_discounts(self, year: SchoolYear, discounts: PriceList) -> None:
        rows = [{"school_year": str(year), "effective_from": day, "percent": percent} for day, percent in discounts]
        statement = insert(sibling_discount).values(rows)
        await self._conn.execute(
            statement.on_conflict_do_update(
                index_elements=[sibling_discount.c.school_year, sibling_discount.c.effective_from],
                set_={"percent": statement.excluded.percent},
            )
        )

    async def enrolment_history(
        self, account_ids: Collection[uuid.UUID], years: Collection[SchoolYear]
    ) -> list[EnrolmentChange]:
        """Arrays, not `IN (...)`: one prepared statement whatever the batch, where an expanding
        IN compiled and prepared a new one for each number of accounts."""
        rows = await self._conn.execute(
            select(
                student.c.account_id,
                enrolment_change.c.student_id,
                enrolment_change.c.school_year,
                student.c.seq.label("registered"),
                enrolment_change.c.effective_from,
                enrolment_change.c.tariff_band,
                enrolment_change.c.active,
                enrolment_change.c.seq,
            )
            .join(student, student.c.id == enrolment_change.c.student_id)
            .where(
                student.c.account_id == func.any(bindparam("accounts", list(account_ids), type_=ARRAY(Uuid))),
                enrolment_change.c.school_year == func.any(bindparam("years", [str(y) for y in years], type_=_NAMES)),
            )
        )
        return [
            EnrolmentChange(
                r.account_id,
                r.student_id,
                SchoolYear.parse(r.school_year),
                r.registered,
                r.effective_from,
                r.tariff_band,
                r.active,
                r.seq,
            )
            for r in rows
        ]

    async def book(
        self, years: Collection[SchoolYear], lock: Literal["share", "update"] | None = None, usage: bool = False
    ) -> TariffBook:
        names = [str(y) for y in years]
        prices = await self._conn.execute(
            _locked(select(tariff_price).where(tariff_price.c.school_year.in_(names)), lock)
        )
        discounts = await self._conn.execute(
            _locked(select(sibling_discount).where(sibling_discount.c.school_year.in_(names)), lock)
        )
        found: dict[tuple[str, SchoolYear], list[tuple[date, int]]] = defaultdict(list)
        rows: list[str] = []
        for row in prices:
            year = SchoolYear.parse(row.school_year)
            found[(row.band_id, year)].append((row.effective_from, row.meal_price_cents))
            rows.append(price_row(row.band_id, year, row.effective_from))
        per_year: dict[SchoolYear, list[tuple[date, int]]] = defaultdict(list)
        discount_rows: list[str] = []
        for row in discounts:
            year = SchoolYear.parse(row.school_year)
            per_year[year].append((row.effective_from, row.percent))
            discount_rows.append(discount_row(year, row.effective_from))
        used = await self._used(rows, discount_rows) if usage else frozenset()
        return TariffBook(dict(found), dict(per_year), used)

    async def _used(self, rows: list[str], discount_rows: list[str]) -> frozenset[str]:
        """Which of these rows a meal's ledger entry names (an index lookup each)."""
        priced = await self._conn.scalars(
            select(ledger_entry.c.price_row).distinct().where(ledger_entry.c.price_row.in_(rows))
        )
        discounted = await self._conn.scalars(
            select(ledger_entry.c.discount_row).distinct().where(ledger_entry.c.discount_row.in_(discount_rows))
        )
        return frozenset([*priced, *discounted])


def _locked(query: Select[Any], lock: Literal["share", "update"] | None) -> Select[Any]:
    if lock is None:
        return query
    return query.with_for_update(read=lock == "share")
