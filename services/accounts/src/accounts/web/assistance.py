"""Assistenza, both sides of the letter's chat: the family writes to the Ufficio Scuola and reads
the answers; the office (staff only, `/ufficio/assistenza`) sees the conversations, the ones
waiting for an answer first, answers beside the family's balance and latest movements, and the
family gets an email saying there is an answer (`handlers.answer_family`)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse

from accounts.api.dependencies import UowDep, staff
from accounts.domain.users import Principal
from accounts.handlers.answer_family import answer_family
from accounts.handlers.show_conversation import conversation, conversations, family_file
from accounts.handlers.write_to_office import write_to_office
from accounts.web.family import PageDep
from accounts.web.session import PersonDep, csrf
from shared.errors import RefettorioError
from shared.web import PageRoute, render

router = APIRouter(route_class=PageRoute, include_in_schema=False, dependencies=[Depends(csrf)])
OFFICE = "/ufficio/assistenza"


async def staff_person(who: PersonDep) -> Principal:
    """A page of the office: staff only (a parent's session gets 403)."""
    return await staff(who)


StaffPersonDep = Annotated[Principal, Depends(staff_person)]


@router.get("/conti/{account_id}/assistenza")
async def family_side(page: PageDep, inviato: bool = False) -> Response:
    messages = await conversation(page.uow, page.account_id)
    return page.render("assistenza.html", "assistenza", "Assistenza", messages=messages, sent=inviato, text="")


@router.post("/conti/{account_id}/assistenza")
async def write(page: PageDep) -> Response:
    text = str((await page.request.form()).get("testo", ""))
    try:
        await write_to_office(page.uow, page.who, page.account_id, text)
    except RefettorioError as error:
        messages = await conversation(page.uow, page.account_id)
        context = {"messages": messages, "sent": False, "text": text}
        return page.render("assistenza.html", "assistenza", "Assistenza", context, refused=error)
    return RedirectResponse(page.url("/assistenza?inviato=1#ultimo"), status_code=303)


@router.get("/assistenza")
async def my_assistance(who: PersonDep) -> Response:
    """Where the office's email points: the person's own family's conversation."""
    target = f"/conti/{who.account_id}/assistenza" if who.account_id else OFFICE
    return RedirectResponse(target, status_code=303)


@router.get(OFFICE)
async def office_list(request: Request, who: StaffPersonDep, uow: UowDep) -> Response:
    context = {"who": who, "lines": await conversations(uow), "breadcrumb": [("Ufficio Scuola: assistenza", "")]}
    return render(request, "ufficio_assistenza.html", context)


@router.get(OFFICE + "/{account_id}")
async def office_conversation(
    request: Request, account_id: uuid.UUID, who: StaffPersonDep, uow: UowDep, risposto: bool = False
) -> Response:
    return await _office_page(request, account_id, who, uow, answered=risposto)


@router.post(OFFICE + "/{account_id}")
async def office_answer(request: Request, account_id: uuid.UUID, who: StaffPersonDep, uow: UowDep) -> Response:
    text = str((await request.form()).get("testo", ""))
    try:
        await answer_family(uow, who, account_id, text)
    except RefettorioError as error:
        return await _office_page(request, account_id, who, uow, text=text, error=error.message, status=422)
    return RedirectResponse(f"{OFFICE}/{account_id}?risposto=1#ultimo", status_code=303)


async def _office_page(
    request: Request,
    account_id: uuid.UUID,
    who: Principal,
    uow: UowDep,
    answered: bool = False,
    text: str = "",
    error: str | None = None,
    status: int = 200,
) -> Response:
    found = await family_file(uow, account_id)
    trail = [
        ("Ufficio Scuola: assistenza", OFFICE),
        (f"{found.account.holder_first_name} {found.account.holder_last_name}", ""),
    ]
    context = {"who": who, "file": found, "answered": answered, "text": text, "error": error, "breadcrumb": trail}
    return render(request, "ufficio_conversazione.html", context, status=status)
