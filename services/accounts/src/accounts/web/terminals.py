"""Terminali, in the office's pages: the schools' canteen tablets, registering one with a pairing
code shown once, a new code for one (its tablet is logged out), revoking one. Staff only.

The page reaches attendance as the person (the gateway's person-forwarding client), through the
same handlers as the JSON routes of `api/terminals`; every change is audited there."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from accounts.api.dependencies import UowDep
from accounts.domain.terminals import PairingCode
from accounts.domain.users import Principal
from accounts.handlers import school_terminals as terminals
from accounts.web.office import StaffPageDep, office_router, page
from accounts.web.session import PageGatewaysDep
from shared.errors import RefettorioError
from shared.paging import page_count

router = office_router()
PAGE = "/terminali"
TRAIL = [("Terminali", "/ufficio/terminali")]
SchoolField = Annotated[str, Form(max_length=64)]
LabelField = Annotated[str, Form(max_length=100)]
PER_PAGE = 25  # a city's schools have hundreds of tablets


@router.get(PAGE)
async def terminals_page(
    request: Request,
    who: StaffPageDep,
    other: PageGatewaysDep,
    revocato: uuid.UUID | None = None,
    scuola: Annotated[str, Query(max_length=64)] = "",
    pagina: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    return await _page(request, who, other, View(revoked=revocato, school=scuola, page=pagina))


@router.post(PAGE)
async def register(
    request: Request,
    who: StaffPageDep,
    uow: UowDep,
    other: PageGatewaysDep,
    school_id: SchoolField = "",
    label: LabelField = "",
) -> Response:
    try:
        issued = await terminals.register_terminal(uow, other.terminals, who, school_id.strip(), label.strip())
    except RefettorioError as refused:
        view = View(refused=refused.message, typed=(school_id, label))
        return await _page(request, who, other, view, status=422)
    return await _page(request, who, other, View(issued=issued))


@router.post(PAGE + "/{terminal_id}/nuovo-codice")
async def new_code(
    request: Request, terminal_id: uuid.UUID, who: StaffPageDep, uow: UowDep, other: PageGatewaysDep
) -> Response:
    issued = await terminals.new_pairing_code(uow, other.terminals, who, terminal_id)
    return await _page(request, who, other, View(issued=issued))


@router.post(PAGE + "/{terminal_id}/revoca")
async def revoke(terminal_id: uuid.UUID, who: StaffPageDep, uow: UowDep, other: PageGatewaysDep) -> Response:
    await terminals.revoke_terminal(uow, other.terminals, who, terminal_id)
    return RedirectResponse(f"{TRAIL[0][1]}?revocato={terminal_id}", status_code=303)


@dataclass(frozen=True)
class View:
    """What the page shows beside the list: the code just issued (this once, never in an address),
    the terminal just revoked, a refused registration with what was typed, the school and the
    page of the list shown."""

    issued: PairingCode | None = None
    revoked: uuid.UUID | None = None
    refused: str | None = None
    typed: tuple[str, str] = ("", "")
    school: str = ""
    page: int = 1


async def _page(request: Request, who: Principal, other: PageGatewaysDep, view: View, status: int = 200) -> Response:
    overview = await terminals.terminals_overview(other.terminals)
    kept = [t for t in overview.terminals if not view.school or t.school_id == view.school]
    kept.sort(key=lambda t: t.created_at, reverse=True)  # the newest first: the one just registered
    pages = page_count(len(kept), PER_PAGE)
    first = (min(view.page, pages) - 1) * PER_PAGE
    context = {
        "overview": overview,
        "shown": kept[first : first + PER_PAGE],
        "pages": pages,
        "page_number": min(view.page, pages),
        "query": urlencode({"scuola": view.school}) if view.school else "",
        "view": view,
        "revoked": next((t for t in overview.terminals if t.terminal_id == view.revoked), None),
        "now": datetime.now(UTC),
    }
    response = page(request, "ufficio/terminali.html", who, "terminali", TRAIL, context, status=status)
    response.headers["Cache-Control"] = "no-store"
    return response
