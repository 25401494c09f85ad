"""Famiglie: search, register a family with its children, the family's page, edit it, add a
child, transfer or withdraw one, add or remove a guardian. Each form posts here, is parsed into
the JSON API's own model, and calls the handler the API calls."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Query, Request, Response
from fastapi.responses import RedirectResponse

from accounts.api.dependencies import UowDep, today
from accounts.api.office import contacts_of, enrolment_of, family_of, student_of
from accounts.api.office_schemas import FamilyEdit
from accounts.api.schemas import NewEnrolment, NewFamily, NewStudent
from accounts.domain.exceptions import AccountsError
from accounts.domain.family import FamilyDetails, Holder, valid_tax_code
from accounts.handlers import change_contacts as contacts
from accounts.handlers import queries, users
from accounts.handlers.enrol_student import add_student, enrol_student
from accounts.handlers.family_file import family_file
from accounts.handlers.register_family import register_family
from accounts.web.office import StaffPageDep, office_router, page
from accounts.web.office_forms import (
    DIETS,
    child_rows,
    current_years,
    details_values,
    family_form,
    tax_code_errors,
    year_bands,
)
from accounts.web.session import PageGatewaysDep
from shared.web.forms import form_values, parse_form

router = office_router()
FAMILIES = ("Famiglie", "/ufficio/famiglie")


@router.get("/famiglie")
async def search(
    request: Request, who: StaffPageDep, uow: UowDep, q: Annotated[str, Query(max_length=100)] = ""
) -> Response:
    found = await queries.search_families(uow, q) if len(q.strip()) >= 2 else None
    return page(request, "ufficio/famiglie.html", who, "famiglie", [FAMILIES], {"q": q, "found": found})


@router.get("/famiglie/nuova")
async def new_family_form(request: Request, who: StaffPageDep, uow: UowDep) -> Response:
    return await _new_family(request, who, uow, {"students": [{}]}, {})


@router.post("/famiglie/nuova")
async def create_family(request: Request, who: StaffPageDep, uow: UowDep) -> Response:
    values = form_values(await request.form())
    body = family_form(values)
    if values.get("azione") == "aggiungi-alunno":
        return await _new_family(request, who, uow, body | {"students": [*body["students"], {}]}, {})
    parsed, errors = parse_form(NewFamily, body)
    errors |= tax_code_errors(body)
    if parsed is None or errors:
        return await _new_family(request, who, uow, body, errors, status=422)
    family = family_of(parsed)
    try:
        await register_family(uow, who, family, today())
    except AccountsError as refused:
        return await _new_family(request, who, uow, body, {"modulo": refused.message}, status=409)
    return RedirectResponse(f"/ufficio/famiglie/{family.account_id}?registrata=1", status_code=303)


async def _new_family(
    request: Request, who: StaffPageDep, uow: UowDep, values: dict[str, Any], errors: dict[str, str], status: int = 200
) -> Response:
    context = {"values": values, "errors": errors} | await _choices(uow)
    trail = [FAMILIES, ("Nuova famiglia", "")]
    return page(request, "ufficio/famiglia_nuova.html", who, "famiglie", trail, context, status)


@router.get("/famiglie/{account_id}")
async def family_page(
    request: Request, account_id: uuid.UUID, who: StaffPageDep, uow: UowDep, other: PageGatewaysDep
) -> Response:
    found = await family_file(uow, other, account_id, f"{today():%Y-%m}")
    name = f"{found.account.holder_first_name} {found.account.holder_last_name}"
    context = {"family": found, "registered": request.query_params.get("registrata") == "1"}
    return page(request, "ufficio/famiglia.html", who, "famiglie", [FAMILIES, (name, "")], context)


@router.get("/famiglie/{account_id}/modifica")
async def edit_form(request: Request, account_id: uuid.UUID, who: StaffPageDep, uow: UowDep) -> Response:
    details = await contacts.family_details(uow, account_id)
    return _edit(request, who, account_id, details_values(details), {})


@router.post("/famiglie/{account_id}/modifica")
async def edit(request: Request, account_id: uuid.UUID, who: StaffPageDep, uow: UowDep) -> Response:
    values = form_values(await request.form())
    parsed, errors = parse_form(FamilyEdit, values)
    if parsed is None:
        return _edit(request, who, account_id, values, errors, status=422)
    holder = Holder("", parsed.holder_first_name, parsed.holder_last_name)
    await contacts.edit_family(uow, who, account_id, FamilyDetails(holder, contacts_of(parsed), parsed.iban))
    return RedirectResponse(f"/ufficio/famiglie/{account_id}", status_code=303)


def _edit(
    request: Request,
    who: StaffPageDep,
    account_id: uuid.UUID,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    trail = [FAMILIES, ("Famiglia", f"/ufficio/famiglie/{account_id}"), ("Modifica", "")]
    context = {"values": values, "errors": errors, "account_id": account_id}
    return page(request, "ufficio/famiglia_modifica.html", who, "famiglie", trail, context, status)


@router.get("/famiglie/{account_id}/alunni/nuovo")
async def new_child_form(request: Request, account_id: uuid.UUID, who: StaffPageDep, uow: UowDep) -> Response:
    return await _child(request, who, uow, account_id, None, {}, {})


@router.post("/famiglie/{account_id}/alunni/nuovo")
async def new_child(request: Request, account_id: uuid.UUID, who: StaffPageDep, uow: UowDep) -> Response:
    values = form_values(await request.form())
    parsed, errors = parse_form(NewStudent, values)
    errors |= tax_code_errors({"students": [values]}, prefix="")
    if parsed is None or errors:
        return await _child(request, who, uow, account_id, None, values, errors, status=422)
    try:
        await add_student(uow, who, account_id, student_of(parsed), today())
    except AccountsError as refused:
        return await _child(request, who, uow, account_id, None, values, {"modulo": refused.message}, status=409)
    return RedirectResponse(f"/ufficio/famiglie/{account_id}", status_code=303)


@router.get("/famiglie/{account_id}/alunni/{student_id}")
async def enrolment_form(
    request: Request, account_id: uuid.UUID, student_id: uuid.UUID, who: StaffPageDep, uow: UowDep
) -> Response:
    account = await queries.account(uow, account_id, who)
    lines = [s for s in account.students if s.student_id == student_id]
    values = child_rows(lines[-1]) if lines else {}
    return await _child(request, who, uow, account_id, student_id, values, {})


@router.post("/famiglie/{account_id}/alunni/{student_id}")
async def change_enrolment(
    request: Request, account_id: uuid.UUID, student_id: uuid.UUID, who: StaffPageDep, uow: UowDep
) -> Response:
    values = form_values(await request.form())
    parsed, errors = parse_form(NewEnrolment, values)
    if parsed is None:
        return await _child(request, who, uow, account_id, student_id, values, errors, status=422)
    try:
        await enrol_student(uow, who, account_id, student_id, enrolment_of(parsed), parsed.effective_from or today())
    except AccountsError as refused:
        return await _child(request, who, uow, account_id, student_id, values, {"modulo": refused.message}, status=409)
    return RedirectResponse(f"/ufficio/famiglie/{account_id}", status_code=303)


async def _child(
    request: Request,
    who: StaffPageDep,
    uow: UowDep,
    account_id: uuid.UUID,
    student_id: uuid.UUID | None,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    label = "Nuovo alunno" if student_id is None else "Iscrizione"
    trail = [FAMILIES, ("Famiglia", f"/ufficio/famiglie/{account_id}"), (label, "")]
    context = {
        "values": values,
        "errors": errors,
        "account_id": account_id,
        "student_id": student_id,
        "today": today(),
    } | await _choices(uow)
    return page(request, "ufficio/alunno.html", who, "famiglie", trail, context, status)


@router.post("/famiglie/{account_id}/genitori")
async def add_guardian(
    request: Request, account_id: uuid.UUID, who: StaffPageDep, uow: UowDep, other: PageGatewaysDep
) -> Response:
    values = form_values(await request.form())
    try:
        tax_code = valid_tax_code(str(values.get("tax_code", "")), "del genitore o tutore")
        await users.register_guardian(uow, who, account_id, tax_code, values.get("is_holder") == "true")
    except AccountsError as refused:
        found = await family_file(uow, other, account_id, f"{today():%Y-%m}")
        context = {"family": found, "guardian_error": refused.message, "guardian_value": values.get("tax_code", "")}
        name = f"{found.account.holder_first_name} {found.account.holder_last_name}"
        return page(request, "ufficio/famiglia.html", who, "famiglie", [FAMILIES, (name, "")], context, 422)
    return RedirectResponse(f"/ufficio/famiglie/{account_id}#genitori", status_code=303)


@router.post("/famiglie/{account_id}/genitori/{user_id}/rimuovi")
async def remove_guardian(account_id: uuid.UUID, user_id: uuid.UUID, who: StaffPageDep, uow: UowDep) -> Response:
    await users.remove_guardian(uow, who, account_id, user_id)
    return RedirectResponse(f"/ufficio/famiglie/{account_id}#genitori", status_code=303)


async def _choices(uow: UowDep) -> dict[str, Any]:
    """What the enrolment fields offer: this school year and the next, their bands, the diets."""
    return {"years": [(y, y) for y in current_years()], "bands": await year_bands(uow), "diets": DIETS}
