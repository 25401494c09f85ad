"""Assistenza, the office's side of the letter's chat (`/ufficio/assistenza`, staff only): the
conversations, the ones waiting for an answer first; one conversation answered beside the family's
balance and latest movements; the family gets an email saying there is an answer
(`handlers.answer_family`). The family's side is `web.assistance`."""

from __future__ import annotations

import uuid

from fastapi import Request, Response
from fastapi.responses import RedirectResponse

from accounts.api.dependencies import UowDep
from accounts.domain.users import Principal
from accounts.handlers.answer_family import answer_family
from accounts.handlers.show_conversation import conversations, family_file
from accounts.web.office import StaffPageDep, office_router, page
from shared.errors import RefettorioError

router = office_router()
PAGE = "/assistenza"
TRAIL = ("Assistenza", "/ufficio/assistenza")


@router.get(PAGE)
async def office_list(request: Request, who: StaffPageDep, uow: UowDep) -> Response:
    context = {"lines": await conversations(uow)}
    return page(request, "ufficio/assistenza.html", who, "assistenza", [TRAIL], context)


@router.get(PAGE + "/{account_id}")
async def office_conversation(
    request: Request, account_id: uuid.UUID, who: StaffPageDep, uow: UowDep, risposto: bool = False
) -> Response:
    return await _conversation(request, account_id, who, uow, answered=risposto)


@router.post(PAGE + "/{account_id}")
async def office_answer(request: Request, account_id: uuid.UUID, who: StaffPageDep, uow: UowDep) -> Response:
    text = str((await request.form()).get("testo", ""))
    try:
        await answer_family(uow, who, account_id, text)
    except RefettorioError as error:
        return await _conversation(request, account_id, who, uow, text=text, error=error.message, status=422)
    return RedirectResponse(f"{TRAIL[1]}/{account_id}?risposto=1#ultimo", status_code=303)


async def _conversation(
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
    trail = [TRAIL, (f"{found.account.holder_first_name} {found.account.holder_last_name}", "")]
    context = {"file": found, "answered": answered, "text": text, "error": error}
    return page(request, "ufficio/conversazione.html", who, "assistenza", trail, context, status=status)
