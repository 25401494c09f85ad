"""Movimenti, the estratto conto: filters by period and cause, twenty movements a page with the
balance after each, the CSV of what the filters select. The first page refreshes itself while
open (htmx polling, as the Scrivania: 204 until the ledger moved). The holder's and the office's:
a guardian is told the estratto conto is the holder's (`queries.movements`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Response

from accounts.api import documents
from accounts.domain.ledger import Cause
from accounts.handlers import queries
from accounts.handlers.read_models import MovementFilter
from accounts.handlers.show_desk import desk_version
from accounts.web.family import FamilyPage, PageDep, now
from accounts.web.labels import CAUSES
from accounts.web.session import csrf
from shared.web import PageRoute

router = APIRouter(route_class=PageRoute, include_in_schema=False, dependencies=[Depends(csrf)])
PAGE_SIZE = 20


@dataclass
class Filters:
    """The page's query, as typed: what it selects, and what was wrong with it."""

    da: str = ""
    a: str = ""
    causale: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    def selection(self) -> MovementFilter:
        since, until = self._day("da", "Data iniziale"), self._day("a", "Data finale")
        cause = None
        if self.causale:
            try:
                cause = Cause(self.causale)
            except ValueError:
                self.errors["causale"] = "Scegli una causale dall'elenco."
        if since and until and since > until:
            self.errors["a"] = "La data finale non può venire prima di quella iniziale."
        return MovementFilter(cause, since, until) if not self.errors else MovementFilter()

    def _day(self, name: str, label: str) -> date | None:
        text = getattr(self, name)
        try:
            day = date.fromisoformat(text) if text else None
        except ValueError:
            day = None
            self.errors[name] = f"{label}: scrivi una data come 2026-12-01."
        if day is not None and not 2000 <= day.year <= 2100:
            self.errors[name], day = f"{label}: scrivi una data tra il 2000 e il 2100.", None
        return day

    def query(self) -> str:
        return f"da={self.da}&a={self.a}&causale={self.causale}"


@router.get("/conti/{account_id}/movimenti")
async def movements(page: PageDep, da: str = "", a: str = "", causale: str = "", pagina: int = 1) -> Response:
    return page.render(
        "movimenti.html", "movimenti", "Movimenti", **await _context(page, Filters(da, a, causale), pagina)
    )


@router.get("/conti/{account_id}/movimenti/aggiornamento")
async def movements_update(page: PageDep, versione: int, da: str = "", a: str = "", causale: str = "") -> Response:
    """The first page's poll: 204 until the ledger moved, then the table's fragment."""
    if await desk_version(page.uow, page.account_id) == versione:
        return Response(status_code=204)
    context = await _context(page, Filters(da, a, causale), 1)
    return page.render("movimenti.html", "movimenti", "Movimenti", context, block="aggiornabile")


@router.get("/conti/{account_id}/movimenti.csv")
async def movements_csv(page: PageDep, da: str = "", a: str = "", causale: str = "") -> Response:
    selection = Filters(da, a, causale).selection()
    found = await queries.movements(page.uow, page.account_id, selection, page.who, 100_000, 0)
    return Response(
        documents.movements_csv(found.lines),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="estratto-conto-{now():%Y-%m-%d}.csv"'},
    )


async def _context(page: FamilyPage, filters: Filters, number: int) -> dict[str, Any]:
    selection = filters.selection()
    number = max(number, 1)
    version = await desk_version(page.uow, page.account_id)  # before the read: an update is never missed
    found = await queries.movements(page.uow, page.account_id, selection, page.who, PAGE_SIZE, (number - 1) * PAGE_SIZE)
    return {
        "filters": filters,
        "causes": CAUSES,
        "found": found,
        "number": number,
        "pages": max((found.total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        "version": version,
        "refresh_seconds": page.settings.desk_refresh_seconds,
        "updated_at": now(),
    }
