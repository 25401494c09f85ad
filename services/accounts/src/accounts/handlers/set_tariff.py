"""Tariff bands per school year, their meal prices and the sibling discount, each valid from a date.

A new price is a new row (band, year, effective_from); a row that already priced a charged meal
keeps its price (`PriceInUse` otherwise): meals already charged are never re-priced, and the
ledger records amounts. The rows are locked first, so a batch of meals being priced with them
finishes before the check (and is seen by it). Responsabile only; audited.
"""

from __future__ import annotations

from accounts.domain.audit import Action, entry
from accounts.domain.exceptions import PriceInUse
from accounts.domain.tariffs import PriceList, TariffBook
from accounts.domain.users import Permission, Principal, require
from accounts.handlers.ports import AccountsUnitOfWork
from shared.school_year import SchoolYear


async def set_tariff(
    uow: AccountsUnitOfWork, who: Principal, school_year: str, band_id: str, name: str, prices: PriceList
) -> None:
    require(who, Permission.MONEY)
    year = SchoolYear.parse(school_year)
    async with uow:
        book = await uow.tariffs.book([year], lock="update", usage=True)
        if book.changes_refused(band_id, year, prices):
            raise PriceInUse()
        before = _prices(book.prices.get((band_id, year), []))
        await uow.tariffs.set_tariff(school_year, band_id, name, prices)
        after = {"fascia": name, "prezzi": _prices(prices)}
        await uow.audit.record(
            entry(who, Action.TARIFF_SET, f"{band_id} {school_year}", before={"prezzi": before}, after=after)
        )
        await uow.commit()


async def set_sibling_discount(uow: AccountsUnitOfWork, who: Principal, year: SchoolYear, discounts: PriceList) -> None:
    require(who, Permission.MONEY)
    async with uow:
        book = await uow.tariffs.book([year], lock="update", usage=True)
        if book.discount_changes_refused(year, discounts):
            raise PriceInUse()
        before = {"sconti": _prices(book.discounts.get(year, []))}
        await uow.tariffs.set_discounts(year, discounts)
        after = {"sconti": _prices(discounts)}
        await uow.audit.record(entry(who, Action.SIBLING_DISCOUNT_SET, str(year), before=before, after=after))
        await uow.commit()


async def tariffs_of(uow: AccountsUnitOfWork, year: SchoolYear) -> tuple[dict[str, str], TariffBook]:
    """The year's bands (id -> name) and its book, with the rows already used by a meal."""
    async with uow:
        return await uow.tariffs.bands(year), await uow.tariffs.book([year], usage=True)


def _prices(prices: PriceList) -> list[list[object]]:
    return [[day.isoformat(), value] for day, value in sorted(prices)]


async def bands_of(uow: AccountsUnitOfWork, years: list[SchoolYear]) -> list[tuple[SchoolYear, str, str]]:
    """Every band of these years: (year, id, name), for the forms that enrol a child."""
    async with uow:
        return [(year, band, name) for year in years for band, name in (await uow.tariffs.bands(year)).items()]
