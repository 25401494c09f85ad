"""Contatti e preferenze: the family's email and mobile on file and its refusals (diniego) of
email, SMS and the app IO. The holder changes them directly (the same handler as the office's,
`contacts-changed` tells notifications at once); a guardian sees them and asks the holder or
the office."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from accounts.api.family import contacts_of
from accounts.api.schemas import ContactsIn
from accounts.handlers import queries
from accounts.handlers.change_contacts import change_own_contacts
from accounts.web.family import FamilyPage, PageDep
from accounts.web.session import csrf
from shared.errors import RefettorioError
from shared.web import PageRoute

router = APIRouter(route_class=PageRoute, include_in_schema=False, dependencies=[Depends(csrf)])
PROBLEMS = {
    "email": "Scrivi un indirizzo email valido, per esempio nome@esempio.it, o lascia il campo vuoto.",
    "phone": "Scrivi il numero di cellulare con sole cifre (anche con +39 davanti), o lascia il campo vuoto.",
}
SWITCHES = ("email_opt_out", "sms_opt_out", "io_opt_out")


@router.get("/conti/{account_id}/contatti")
async def contacts(page: PageDep, salvato: bool = False) -> Response:
    found = await queries.account(page.uow, page.account_id, page.who)
    values = {"email": found.email or "", "phone": found.phone or ""} | {k: getattr(found, k) for k in SWITCHES}
    return _page(page, values, {}, saved=salvato)


@router.post("/conti/{account_id}/contatti")
async def change(page: PageDep) -> Response:
    form = await page.request.form()
    values: dict[str, object] = {k: str(form.get(k, "")).strip() for k in ("email", "phone")}
    values |= {k: form.get(k) == "1" for k in SWITCHES}
    try:
        body = ContactsIn.model_validate({k: v or None if k in PROBLEMS else v for k, v in values.items()})
    except ValidationError as invalid:
        errors = {str(e["loc"][0]): PROBLEMS.get(str(e["loc"][0]), "Valore non valido.") for e in invalid.errors()}
        return _page(page, values, errors, status=422)
    try:
        await change_own_contacts(page.uow, page.who, page.account_id, contacts_of(body))
    except RefettorioError as error:
        return _page(page, values, {}, refused=error)
    return RedirectResponse(page.url("/contatti?salvato=1"), status_code=303)


def _page(
    page: FamilyPage,
    values: dict[str, object],
    errors: dict[str, str],
    saved: bool = False,
    status: int = 200,
    refused: RefettorioError | None = None,
) -> Response:
    context = {"values": values, "errors": errors, "saved": saved}
    response = page.render("contatti.html", "contatti", "Contatti e preferenze", context, refused=refused)
    if refused is None:
        response.status_code = status
    return response
