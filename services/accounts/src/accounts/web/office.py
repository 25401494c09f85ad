"""The back-office at `/ufficio` (staff only): who may enter, its layout and navigation, its home.

Every page and form of the back-office depends on `office_person`: a staff session, else the
login (no session) or 403 (a parent's session). A bearer token opens nothing here: pages read
the session cookie only. The pages call the same handlers as the JSON routes of `api/office*`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from accounts.api.dependencies import DeadLettersDep, SettingsDep, UowDep, today
from accounts.domain.dashboard import SchoolsShown
from accounts.domain.users import Permission, Principal
from accounts.handlers.office_dashboard import office_dashboard
from accounts.web.chart import dashboard_charts
from accounts.web.session import PageGatewaysDep, PersonDep, csrf
from shared.http import HttpError
from shared.web import PageRoute, render

HOME = ("Ufficio Scuola", "/ufficio")
# (section, label, address, who sees it); Assistenza and Terminali are other screens' own.
NAVIGATION: Sequence[tuple[str, str, str, Permission]] = (
    ("famiglie", "Famiglie", "/ufficio/famiglie", Permission.OFFICE),
    ("buoni", "Buoni cartacei", "/ufficio/buoni", Permission.OFFICE),
    ("rettifiche", "Rettifiche", "/ufficio/rettifiche", Permission.OFFICE),
    ("morosita", "Morosità", "/ufficio/morosita", Permission.OFFICE),
    ("comunicazioni", "Comunicazioni", "/ufficio/comunicazioni", Permission.OFFICE),
    ("anomalie", "Anomalie di pagamento", "/ufficio/anomalie", Permission.OFFICE),
    ("assistenza", "Assistenza", "/ufficio/assistenza", Permission.OFFICE),
    ("calendario", "Calendario", "/ufficio/calendario", Permission.OFFICE),
    ("cucina", "Cucina", "/ufficio/cucina", Permission.OFFICE),
    ("terminali", "Terminali", "/ufficio/terminali", Permission.OFFICE),
    ("tariffe", "Tariffe", "/ufficio/tariffe", Permission.OFFICE),
    ("chiusura", "Chiusura anno", "/ufficio/chiusura-anno", Permission.MONEY),
    ("registro", "Registro attività", "/ufficio/registro", Permission.OFFICE),
    ("utenti", "Utenti", "/ufficio/utenti", Permission.STAFF),
)


def office_person(who: PersonDep) -> Principal:
    if not who.is_staff:
        raise HttpError(403, "accesso_negato", "Quest'area è riservata al personale dell'Ufficio Scuola.")
    return who


StaffPageDep = Annotated[Principal, Depends(office_person)]


def office_router() -> APIRouter:
    """A router of back-office pages: staff sessions only, CSRF on every form."""
    return APIRouter(
        prefix="/ufficio",
        route_class=PageRoute,
        include_in_schema=False,
        dependencies=[Depends(csrf), Depends(office_person)],
    )


def page(
    request: Request,
    template: str,
    who: Principal,
    section: str,
    trail: Sequence[tuple[str, str]],
    context: dict[str, Any] | None = None,
    status: int = 200,
    block: str | None = None,
) -> Response:
    """A back-office page: the office's navigation for `who`, the breadcrumb from its home."""
    menu = [(key, label, url) for key, label, url, needed in NAVIGATION if who.may(needed)]
    full = {"who": who, "section": section, "menu": menu, "breadcrumb": [HOME, *trail]} | (context or {})
    return render(request, template, full, block=block, status=status)


router = office_router()


SCHOOLS_PER_PAGE = 20


@router.get("")
async def office_home(
    request: Request,
    who: StaffPageDep,
    uow: UowDep,
    other: PageGatewaysDep,
    dlq: DeadLettersDep,
    settings: SettingsDep,
    scuola: Annotated[str, Query(max_length=60)] = "",
    pagina: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    """The Cruscotto: the same handler as `GET /office/dashboard`, its schools a page at a time."""
    found = await office_dashboard(uow, other, dlq, who, today())
    shown = SchoolsShown.of(found.schools or [], scuola, pagina, SCHOOLS_PER_PAGE)
    context = {
        "board": found,
        "shown": shown,
        "charts": dashboard_charts(found, shown.chosen(found.meals)),
        "threshold_cents": settings.adjustment_approval_cents,
    }
    return page(request, "ufficio/home.html", who, "home", [], context)
