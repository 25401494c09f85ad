"""Morosità e solleciti (the families in debt, the reminders sent, "Sollecita ora" for the ones
ticked) and Comunicazioni (a message to everyone, a school, a class or chosen families, counted
and previewed before it is sent, its delivery report after). The forms call the handlers the
JSON API calls; each form carries the request id it was shown with, so sending twice sends once."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import Query, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from accounts.api.dependencies import UowDep
from accounts.domain.communications import Audience, Communication
from accounts.domain.exceptions import AccountsError, InvalidAudience
from accounts.handlers import broadcast as broadcasts
from accounts.handlers import communications
from accounts.handlers.debtors import DebtorsPage, debtors_page
from accounts.handlers.read_models import DebtorOrder
from accounts.handlers.remind_now import remind_now
from accounts.web.office import StaffPageDep, office_router, page
from accounts.web.session import PageGatewaysDep
from shared.events import Channel
from shared.paging import page_count
from shared.web.forms import form_values, parse_form

router = office_router()
DEBTS = ("Morosità e solleciti", "/ufficio/morosita")
TALK = ("Comunicazioni", "/ufficio/comunicazioni")
PAGE_SIZE = 20
ORDERS: dict[str, DebtorOrder] = {"importo": "amount", "dal": "since"}
Target = Literal["tutte", "scuola", "classe", "famiglie"]


class CommunicationFields(BaseModel):
    richiesta: uuid.UUID
    destinatari: Target
    scuola: str | None = Field(default=None, max_length=64)
    classe: str | None = Field(default=None, max_length=32)
    codici: str | None = Field(default=None, max_length=20_000)
    canali: list[Channel] = Field(min_length=1)
    oggetto: str = Field(min_length=3, max_length=120)
    testo: str = Field(min_length=3, max_length=600)


@router.get("/morosita")
async def debts(
    request: Request,
    who: StaffPageDep,
    uow: UowDep,
    other: PageGatewaysDep,
    ordine: Literal["importo", "dal"] = "importo",
    pagina: Annotated[int, Query(ge=1, le=10_000)] = 1,
    esito: str = "",
    cerca: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    offset = (pagina - 1) * PAGE_SIZE
    found = await debtors_page(uow, other.notifications, who, ORDERS[ordine], PAGE_SIZE, offset, cerca)
    context = {
        "query": cerca.strip(),
        "found": found,
        "reminders": {line.debtor.account_id: [shown(r) for r in line.reminders] for line in found.lines},
        "order": ordine,
        "page_number": pagina,
        "pages": pages(found),
        "request_id": uuid.uuid4(),
        "outcome": esito,
    }
    return page(request, "ufficio/morosita.html", who, "morosita", [DEBTS], context)


@router.post("/morosita/solleciti")
async def remind(request: Request, who: StaffPageDep, uow: UowDep) -> Response:
    form = await request.form()
    chosen = [uuid.UUID(str(v)) for v in form.getlist("conto") if _is_uuid(str(v))]
    back = {"cerca": str(form.get("cerca", ""))[:100]} if form.get("cerca") else {}  # the list as it was
    if not chosen or not _is_uuid(str(form.get("richiesta", ""))):
        return RedirectResponse(f"/ufficio/morosita?{urlencode(back | {'esito': 'nessuno'})}", status_code=303)
    sent = await remind_now(uow, who, uuid.UUID(str(form["richiesta"])), chosen)
    outcome = {"esito": "inviati" if sent else "gia"}
    return RedirectResponse(f"/ufficio/morosita?{urlencode(back | outcome)}", status_code=303)


@router.get("/comunicazioni")
async def talk(
    request: Request, who: StaffPageDep, uow: UowDep, pagina: Annotated[int, Query(ge=1, le=10_000)] = 1
) -> Response:
    values = {"richiesta": uuid.uuid4().hex, "destinatari": "scuola", "canali": ["email"]}
    return await _talk(request, who, uow, values, {}, pagina=pagina)


@router.post("/comunicazioni")
async def foresee_or_send(request: Request, who: StaffPageDep, uow: UowDep, other: PageGatewaysDep) -> Response:
    values = form_values(await request.form())
    values["canali"] = _listed(values.get("canali"))
    parsed, errors = parse_form(CommunicationFields, values)
    if parsed is None:
        return await _talk(request, who, uow, values, errors, status=422)
    try:
        message = Communication(await _audience(uow, parsed), parsed.oggetto, parsed.testo, tuple(parsed.canali))
        if values.get("azione") != "invia":
            foreseen = await broadcasts.foresee(other.notifications, who, message)
            return await _talk(request, who, uow, values, {}, foreseen=foreseen, message=message)
        sent = await broadcasts.broadcast(uow, who, message, parsed.richiesta)
    except AccountsError as refused:
        return await _talk(request, who, uow, values, {"destinatari": refused.message}, status=422)
    return RedirectResponse(f"/ufficio/comunicazioni/{sent}?inviata=1", status_code=303)


@router.get("/comunicazioni/{request_id}")
async def report(
    request: Request, request_id: uuid.UUID, who: StaffPageDep, uow: UowDep, other: PageGatewaysDep
) -> Response:
    found = await communications.communication_report(uow, other.notifications, who, request_id)
    by_channel: dict[str, dict[str, int]] = {}
    for o in found.outcomes:
        by_channel.setdefault(str(o["channel"]), {})[str(o["state"])] = int(o["count"])
    context = {"sent": found.sent, "by_channel": by_channel, "just_sent": request.query_params.get("inviata") == "1"}
    subject = str((found.sent.entry.after or {}).get("oggetto", "Comunicazione"))
    return page(request, "ufficio/comunicazione.html", who, "comunicazioni", [TALK, (subject, "")], context)


async def _talk(
    request: Request,
    who: StaffPageDep,
    uow: UowDep,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
    pagina: int = 1,
    foreseen: dict[str, Any] | None = None,
    message: Communication | None = None,
) -> Response:
    total, past = await communications.past_communications(uow, who, PAGE_SIZE, (pagina - 1) * PAGE_SIZE)
    context = {
        "values": values,
        "errors": errors,
        "foreseen": foreseen,
        "described": message.audience.described() if message else "",
        "past": past,
        "page_number": pagina,
        "pages": page_count(total, PAGE_SIZE),
    }
    return page(request, "ufficio/comunicazioni.html", who, "comunicazioni", [TALK], context, status)


async def _audience(uow: UowDep, fields: CommunicationFields) -> Audience:
    if fields.destinatari == "famiglie":
        return await broadcasts.chosen_families(uow, (fields.codici or "").replace(",", " ").split())
    if fields.destinatari == "tutte":
        return Audience(everyone=True)
    if not fields.scuola:
        raise InvalidAudience("Indica il codice della scuola.")
    if fields.destinatari == "classe" and not fields.classe:
        raise InvalidAudience("Indica la classe.")
    return Audience(school_id=fields.scuola, class_id=fields.classe if fields.destinatari == "classe" else None)


def shown(reminder: dict[str, Any]) -> dict[str, Any]:
    """A reminder as the list shows it: channel, when (sent, else logged), outcome."""
    when = reminder.get("sent_at") or reminder.get("created_at")
    return {
        "channel": reminder.get("channel", ""),
        "at": datetime.fromisoformat(str(when)) if when else None,
        "state": reminder.get("state", ""),
    }


def pages(found: DebtorsPage) -> int:
    return page_count(found.total, PAGE_SIZE)


def _listed(value: Any) -> list[str]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
