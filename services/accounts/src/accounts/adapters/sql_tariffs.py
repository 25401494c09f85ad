"""Tariff bands and prices on PostgreSQL, and what pricing a batch of meals reads: one query for
the enrolments (with each child's rank among the account's enrolled children of the year), one
for the prices of those school years."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection
from datetime import date

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters.tables import tariff_band, tariff_price
from accounts.domain.tariffs import EnrolledBand, PriceList
from shared.school_year import SchoolYear


class SqlTariffs:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def has_band(self, band_id: str, school_year: str) -> bool:
        found = await self._conn.scalar(
            select(tariff_band.c.id).where(tariff_band.c.id == band_id, tariff_band.c.school_year == school_year)
        )
        return found is not None

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

    async def enrolled_bands(
        self, account_ids: Collection[uuid.UUID], student_ids: Collection[uuid.UUID], years: Collection[SchoolYear]
    ) -> dict[tuple[uuid.UUID, SchoolYear], EnrolledBand]:
        rows = await self._conn.execute(
            _ENROLLED_BANDS,
            {"accounts": list(account_ids), "students": list(student_ids), "years": [str(y) for y in years]},
        )
        return {
            (row.student_id, SchoolYear.parse(row.school_year)): EnrolledBand(row.tariff_band, row.rank) for row in rows
        }

    async def prices(self, years: Collection[SchoolYear]) -> dict[tuple[str, SchoolYear], PriceList]:
        found: dict[tuple[str, SchoolYear], list[tuple[date, int]]] = defaultdict(list)
        rows = await self._conn.execute(
            select(tariff_price).where(tariff_price.c.school_year.in_([str(y) for y in years]))
        )
        for row in rows:
            found[(row.band_id, SchoolYear.parse(row.school_year))].append((row.effective_from, row.meal_price_cents))
        return dict(found)


# Each child's enrolment of the years asked, with its rank among its account's enrolled children
# of that year (siblings are ranked by enrolment order); ids as arrays: one cached statement.
_ENROLLED_BANDS = text(
    """
    SELECT ranked.student_id, ranked.school_year, ranked.tariff_band, ranked.rank
    FROM (
        SELECT enrolment.student_id, enrolment.school_year, enrolment.tariff_band,
               row_number() OVER (PARTITION BY student.account_id, enrolment.school_year ORDER BY student.seq) AS rank
        FROM enrolment JOIN student ON student.id = enrolment.student_id
        WHERE enrolment.active
          AND enrolment.school_year = ANY(CAST(:years AS varchar[]))
          AND student.account_id = ANY(CAST(:accounts AS uuid[]))
    ) AS ranked
    WHERE ranked.student_id = ANY(CAST(:students AS uuid[]))
    """
)
