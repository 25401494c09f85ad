"""Anomalie di pagamento: the receipts payments kept without crediting them (a notice already
paid or cancelled, another amount), and their resolution by a responsabile with a reason:
credit the family (once), refund, or dismiss. The forms call the handlers the JSON API calls
(`api/office_dashboard.py`)."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from accounts.api.dependencies import UowDep
from accounts.domain.anomalies import MAX_REASON, MIN_REASON, AnomalyNotFound, Outcome, Resolution
from accounts.domain.users import Permission, Principal
from accounts.handlers.receipt_anomalies import receipt_anomalies
from accounts.handlers.resolve_anomaly import resolve_anomaly
from accounts.web.office import StaffPageDep, office_router, page
from accounts.web.session import PageGatewaysDep
from shared.web.forms import form_values, parse_form

router = office_router()
TRAIL = ("Anomalie di pagamento", "/ufficio/anomalie")


class ResolutionFields(BaseModel):
    outcome: Outcome
    reason: str = Field(min_length=MIN_REASON, max_length=MAX_REASON)


@router.get("/anomalie")
async def anomalies(request: Request, who: StaffPageDep, other: PageGatewaysDep, esito: str | None = None) -> Response:
    found = await receipt_anomalies(other, who)
    context = {
        "open": [a for a in found if not a["resolved_at"]],
        "refunds": [a for a in found if a["outcome"] == Outcome.REFUND],
        "resolved": [a for a in found if a["resolved_at"] and a["outcome"] != Outcome.REFUND],
        "outcome": esito,
        "decides": who.may(Permission.MONEY),
    }
    return page(request, "ufficio/anomalie.html", who, "anomalie", [TRAIL], context)


@router.get("/anomalie/{receipt_id}")
async def anomaly(request: Request, receipt_id: str, who: StaffPageDep, other: PageGatewaysDep) -> Response:
    return await _form(request, who, other, receipt_id, {}, {})


@router.post("/anomalie/{receipt_id}")
async def resolve(
    request: Request, receipt_id: str, who: StaffPageDep, uow: UowDep, other: PageGatewaysDep
) -> Response:
    values = form_values(await request.form())
    parsed, errors = parse_form(ResolutionFields, values)
    if parsed is None:
        return await _form(request, who, other, receipt_id, values, errors, status=422)
    await resolve_anomaly(uow, other, who, Resolution(receipt_id, parsed.outcome, parsed.reason))
    return RedirectResponse(f"/ufficio/anomalie?esito={parsed.outcome.value}", status_code=303)


async def _form(
    request: Request,
    who: Principal,
    other: PageGatewaysDep,
    receipt_id: str,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    found = next((a for a in await receipt_anomalies(other, who) if a["receipt_id"] == receipt_id), None)
    if found is None:
        raise AnomalyNotFound()
    context = {"anomaly": found, "values": values, "errors": errors, "decides": who.may(Permission.MONEY)}
    trail = [TRAIL, (f"Ricevuta {receipt_id}", f"/ufficio/anomalie/{receipt_id}")]
    return page(request, "ufficio/anomalia.html", who, "anomalie", trail, context, status=status)
