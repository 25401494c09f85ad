"""The price of each meal of a batch, from the enrolment and tariff valid on its service date.

One query for the enrolments (with each child's rank among the account's enrolled children of
that school year), one for the prices of those school years; the arithmetic is in the domain.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters.tables import enrolment, student, tariff_price
from accounts.domain.tariffs import price_on, school_year_of, with_sibling_discount
from shared.events import MealConsumed


async def meal_prices(
    conn: AsyncConnection, meals: Sequence[MealConsumed], default_cents: int, sibling_discount_percent: int
) -> dict[uuid.UUID, int]:
    if not meals:
        return {}
    years = {school_year_of(m.service_date) for m in meals}
    ranked = (
        select(
            enrolment.c.student_id,
            enrolment.c.school_year,
            enrolment.c.tariff_band,
            func.row_number()
            .over(
                partition_by=(student.c.account_id, enrolment.c.school_year),
                order_by=student.c.seq,
            )
            .label("rank"),
        )
        .join(student, student.c.id == enrolment.c.student_id)
        .where(
            enrolment.c.active,
            enrolment.c.school_year.in_(years),
            student.c.account_id.in_({m.account_id for m in meals}),
        )
        .subquery()
    )
    enrolled = {
        (row.student_id, row.school_year): (row.tariff_band, row.rank)
        for row in await conn.execute(select(ranked).where(ranked.c.student_id.in_({m.student_id for m in meals})))
    }
    prices: dict[tuple[str, str], list[tuple[date, int]]] = defaultdict(list)
    for row in await conn.execute(select(tariff_price).where(tariff_price.c.school_year.in_(years))):
        prices[(row.band_id, row.school_year)].append((row.effective_from, row.meal_price_cents))

    def price(meal: MealConsumed) -> int:
        year = school_year_of(meal.service_date)
        band, rank = enrolled.get((meal.student_id, year), (None, 1))
        base = price_on(prices.get((band, year), []), meal.service_date) if band else None
        return with_sibling_discount(default_cents if base is None else base, rank, sibling_discount_percent)

    return {m.meal_id: price(m) for m in meals}
