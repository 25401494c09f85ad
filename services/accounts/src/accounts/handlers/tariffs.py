"""Tariff bands per school year and their meal prices, each valid from a date.

A new price is a new row (band, year, effective_from): meals already charged keep the price
they were charged at, since the ledger records amounts, never references to a tariff.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.dialects.postgresql import insert

from accounts.adapters.tables import tariff_band, tariff_price
from shared.db import SqlUnitOfWork


async def set_tariff(
    uow: SqlUnitOfWork, school_year: str, band_id: str, name: str, prices: list[tuple[date, int]]
) -> None:
    band = insert(tariff_band).values(id=band_id, school_year=school_year, name=name)
    await uow.connection.execute(
        band.on_conflict_do_update(index_elements=[tariff_band.c.id, tariff_band.c.school_year], set_={"name": name})
    )
    price = insert(tariff_price).values(
        [
            {"band_id": band_id, "school_year": school_year, "effective_from": day, "meal_price_cents": cents}
            for day, cents in prices
        ]
    )
    await uow.connection.execute(
        price.on_conflict_do_update(
            index_elements=[tariff_price.c.band_id, tariff_price.c.school_year, tariff_price.c.effective_from],
            set_={"meal_price_cents": price.excluded.meal_price_cents},
        )
    )
    await uow.commit()
