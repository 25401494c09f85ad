"""Terminali, in the office's pages: the schools' canteen tablets, registering one with a pairing
code shown once, a new code for one (its tablet is logged out), revoking one. Staff only.

The page reaches attendance the way the gateway does today (its service credential); the route
module stands alone so that the office's pages can wrap it (roles, the acting person)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse

from accounts.api.dependencies import UowDep
from accounts.domain.terminals import PairingCode
from accounts.domain.users import Principal
from accounts.handlers import school_terminals as terminals
from accounts.web.office import office_person
from accounts.web.session import PageGatewaysDep, csrf
from shared.web import PageRoute, render

router = APIRouter(route_class=PageRoute, include_in_schema=False, dependencies=[Depends(csrf)])
PAGE = "/ufficio/terminali"
TEMPLATE = "ufficio_terminali.html"
SchoolField = Annotated[str, Form(min_length=1, max_length=64)]
LabelField = Annotated[str, Form(max_length=100)]


StaffDep = Annotated[Principal, Depends(office_person)]


@router.get(PAGE)
async def terminals_page(
    request: Request, who: StaffDep, other: PageGatewaysDep, revocato: uuid.UUID | None = None
) -> Response:
    return await _page(request, who, other, revoked=revocato)


@router.post(PAGE)
async def register(
    request: Request,
    who: StaffDep,
    uow: UowDep,
    other: PageGatewaysDep,
    school_id: SchoolField,
    label: LabelField = "",
) -> Response:
    issued = await terminals.register_terminal(uow, other.terminals, who, school_id.strip(), label.strip())
    return await _page(request, who, other, issued=issued)


@router.post(PAGE + "/{terminal_id}/nuovo-codice")
async def new_code(
    request: Request, terminal_id: uuid.UUID, who: StaffDep, uow: UowDep, other: PageGatewaysDep
) -> Response:
    issued = await terminals.new_pairing_code(uow, other.terminals, who, terminal_id)
    return await _page(request, who, other, issued=issued)


@router.post(PAGE + "/{terminal_id}/revoca")
async def revoke(terminal_id: uuid.UUID, who: StaffDep, uow: UowDep, other: PageGatewaysDep) -> Response:
    await terminals.revoke_terminal(uow, other.terminals, who, terminal_id)
    return RedirectResponse(f"{PAGE}?revocato={terminal_id}", status_code=303)


async def _page(
    request: Request,
    who: Principal,
    other: PageGatewaysDep,
    issued: PairingCode | None = None,
    revoked: uuid.UUID | None = None,
) -> Response:
    """The list, with the code just issued (shown this once, never in an address) or the
    terminal just revoked."""
    overview = await terminals.terminals_overview(other.terminals)
    context = {
        "who": who,
        "overview": overview,
        "issued": issued,
        "revoked": next((t for t in overview.terminals if t.terminal_id == revoked), None),
        "now": datetime.now(UTC),
        "breadcrumb": [("Terminali", PAGE)],
    }
    response = render(request, TEMPLATE, context)
    response.headers["Cache-Control"] = "no-store"
    return response
