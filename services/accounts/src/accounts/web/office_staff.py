"""Utenti (amministratori: the office's staff and their roles) and the Registro attività (the
audit log of the whole office, filtered, and its CSV)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import Query, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, EmailStr, Field

from accounts.api import documents
from accounts.api.dependencies import PasswordsDep, UowDep
from accounts.domain.audit import Action, AuditFilter
from accounts.domain.exceptions import AccountsError
from accounts.domain.users import Role
from accounts.handlers import audit_log, users
from accounts.web.labels import ACTIONS
from accounts.web.office import StaffPageDep, office_router, page
from accounts.web.office_forms import tax_code_errors
from shared.paging import page_count
from shared.web.forms import form_values, parse_form

router = office_router()
STAFF = ("Utenti", "/ufficio/utenti")
PAGE_SIZE = 50
ROLE_CHOICES = [("operator", "Operatore"), ("manager", "Responsabile"), ("admin", "Amministratore")]


class StaffFields(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    tax_code: str = Field(min_length=16, max_length=16)
    email: EmailStr | None = None
    role: Literal["operator", "manager", "admin"]


class StaffChangeFields(BaseModel):
    role: Literal["operator", "manager", "admin"]
    active: bool = False


@router.get("/utenti")
async def staff_page(
    request: Request,
    who: StaffPageDep,
    uow: UowDep,
    cerca: Annotated[str, Query(max_length=100)] = "",
    pagina: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    return await _staff(request, who, uow, {}, {}, query=cerca, page_number=pagina)


@router.post("/utenti")
async def add_staff(request: Request, who: StaffPageDep, uow: UowDep, passwords: PasswordsDep) -> Response:
    values = form_values(await request.form())
    parsed, errors = parse_form(StaffFields, values)
    errors |= tax_code_errors({"students": [{"tax_code": values.get("tax_code", "")}]}, prefix="")
    if parsed is None or errors:
        return await _staff(request, who, uow, values, errors, 422)
    new = users.NewStaff(parsed.tax_code.upper(), parsed.email, parsed.name, Role(parsed.role))
    try:
        await users.create_staff(uow, passwords, who, new)
    except AccountsError as refused:
        return await _staff(request, who, uow, values, {"modulo": refused.message}, 409)
    return RedirectResponse("/ufficio/utenti", status_code=303)


@router.post("/utenti/{user_id}")
async def change_staff(request: Request, user_id: uuid.UUID, who: StaffPageDep, uow: UowDep) -> Response:
    parsed, errors = parse_form(StaffChangeFields, form_values(await request.form()))
    if parsed is None:
        return await _staff(request, who, uow, {}, errors, 422)
    try:
        await users.change_staff(uow, who, user_id, Role(parsed.role), parsed.active)
    except AccountsError as refused:
        return await _staff(request, who, uow, {}, {"modulo": refused.message}, 409)
    return RedirectResponse("/ufficio/utenti", status_code=303)


async def _staff(
    request: Request,
    who: StaffPageDep,
    uow: UowDep,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
    query: str = "",
    page_number: int = 1,
) -> Response:
    """The staff a page at a time, found by name or fiscal code; the form of a new member."""
    total, found = await users.staff_page(uow, who, query, PAGE_SIZE, (page_number - 1) * PAGE_SIZE)
    context = {
        "staff": found,
        "total": total,
        "query": query.strip(),
        "pages": page_count(total, PAGE_SIZE),
        "page_number": page_number,
        "values": values,
        "errors": errors,
        "roles": ROLE_CHOICES,
    }
    return page(request, "ufficio/utenti.html", who, "utenti", [STAFF], context, status)


@router.get("/registro")
async def audit_page(
    request: Request, who: StaffPageDep, uow: UowDep, pagina: Annotated[int, Query(ge=1, le=10_000)] = 1
) -> Response:
    where = _where(request)
    total, found = await audit_log.audit_entries(uow, where, PAGE_SIZE, (pagina - 1) * PAGE_SIZE)
    context = {
        "entries": found,
        "total": total,
        "page_number": pagina,
        "pages": page_count(total, PAGE_SIZE),
        "where": where,
        "query": urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "pagina" and v]),
        "actions": [(a.value, label) for a, label in ACTIONS.items()],
    }
    return page(request, "ufficio/registro.html", who, "registro", [("Registro attività", "")], context)


@router.get("/registro.csv")
async def audit_csv(request: Request, who: StaffPageDep, uow: UowDep) -> Response:
    _, found = await audit_log.audit_entries(uow, _where(request), 100_000)
    return Response(
        documents.audit_csv(found),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="registro-attivita.csv"'},
    )


def _where(request: Request) -> AuditFilter:
    """The filters in the address (`azione`, `dal`, `al`, `conto`, `persona`); an empty or
    malformed one filters nothing."""
    q = request.query_params
    action = q.get("azione", "")
    return AuditFilter(
        account_id=_id(q.get("conto")),
        actor_id=_id(q.get("persona")),
        action=Action(action) if action in Action._value2member_map_ else None,
        since=_day(q.get("dal")),
        until=_day(q.get("al")),
    )


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _id(text: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(text) if text else None
    except ValueError:
        return None
