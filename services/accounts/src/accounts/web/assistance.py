"""Assistenza, the family's side of the letter's chat: the family writes to the Ufficio Scuola and
reads the answers (the office's side is `web.office_assistance`)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response
from fastapi.responses import RedirectResponse

from accounts.handlers.show_conversation import conversation
from accounts.handlers.write_to_office import write_to_office
from accounts.web.family import PageDep
from accounts.web.session import PersonDep, csrf
from shared.errors import RefettorioError
from shared.web import PageRoute

router = APIRouter(route_class=PageRoute, include_in_schema=False, dependencies=[Depends(csrf)])
OFFICE = "/ufficio/assistenza"  # where a staff person asking for "their" conversation goes


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
