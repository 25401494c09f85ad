"""Tariff bands per school year and their meal prices, each valid from a date.

A new price is a new row (band, year, effective_from): meals already charged keep the price
they were charged at, since the ledger records amounts, never references to a tariff.
"""

from __future__ import annotations

from accounts.domain.tariffs import PriceList
from accounts.handlers.ports import AccountsUnitOfWork


async def set_tariff(uow: AccountsUnitOfWork, school_year: str, band_id: str, name: str, prices: PriceList) -> None:
    async with uow:
        await uow.tariffs.set_tariff(school_year, band_id, name, prices)
        await uow.commit()
