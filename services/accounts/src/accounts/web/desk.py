"""The Scrivania: the family's home in the portal, refreshed by htmx polling while it is open.

The page asks every `desk_refresh_seconds` whether the ledger moved (`versione`, the latest
ledger position shown); the answer is 204 (nothing to swap) until it did, then the fragment
`aggiornabile` of the same template. Polling is not activity: an open tab still goes idle.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse

from accounts.api.dependencies import GatewaysDep, SettingsDep, UowDep
from accounts.config import AccountsSettings
from accounts.domain.users import Principal
from accounts.handlers.show_desk import Desk, desk_version, show_desk
from accounts.web.chart import balance_chart
from accounts.web.session import FamilyDep, PersonDep, WatchedFamilyDep, WatcherDep, csrf
from shared import local_time
from shared.http import HttpError
from shared.web import PageRoute, render

# Every state-changing request of a page needs the CSRF token (safe methods pass).
router = APIRouter(route_class=PageRoute, include_in_schema=False, dependencies=[Depends(csrf)])
TEMPLATE = "scrivania.html"


def now() -> datetime:
    return local_time.now()


@router.get("/scrivania")
async def my_desk(who: PersonDep) -> Response:
    if who.account_id is None:
        raise HttpError(403, "solo_famiglie", "La Scrivania è delle famiglie iscritte al servizio mensa.")
    return RedirectResponse(f"/conti/{who.account_id}/scrivania", status_code=303)


@router.get("/conti/{account_id}/scrivania")
async def desk(
    request: Request, account_id: FamilyDep, who: PersonDep, uow: UowDep, other: GatewaysDep, settings: SettingsDep
) -> Response:
    found = await show_desk(uow, other.attendance, settings.desk_rules, who, account_id, now().date())
    return render(request, TEMPLATE, _context(found, who, settings))


@router.get("/conti/{account_id}/scrivania/aggiornamento")
async def desk_update(
    request: Request,
    account_id: WatchedFamilyDep,
    who: WatcherDep,
    uow: UowDep,
    other: GatewaysDep,
    settings: SettingsDep,
    versione: int,
) -> Response:
    if await desk_version(uow, account_id) == versione:
        return Response(status_code=204)
    found = await show_desk(uow, other.attendance, settings.desk_rules, who, account_id, now().date())
    return render(request, TEMPLATE, _context(found, who, settings), block="aggiornabile")


def _context(found: Desk, who: Principal, settings: AccountsSettings) -> dict[str, object]:
    return {
        "desk": found,
        "who": who,
        "chart": balance_chart(found.months) if found.months and found.movements else None,
        "refresh_seconds": settings.desk_refresh_seconds,
        "updated_at": now(),
        "breadcrumb": [("Scrivania", "")],
    }
