"""The pagoPA node's endpoint: SOAP 1.1 paForNode, dispatched on the payload's root element.

Authenticated by a shared-secret header; mutual TLS (the node's client certificate) is
terminated by the reverse proxy in front of the service (see the service README). Every answer
the node can act on is HTTP 200 with `outcome` OK or KO, as pagoPA expects.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response

from payments.adapters import node_messages as messages
from payments.adapters import pagopa_soap as soap
from payments.adapters.node_messages import ROME
from payments.config import PaymentsSettings
from payments.domain.faults import Fault, NodeFault
from payments.domain.station import Station
from payments.handlers.receive_node_receipt import Outcome, receive_node_receipt
from payments.handlers.verify_notice import activate_notice, find_payable_notice
from shared.http import same_secret, unauthorised
from shared.service import Infrastructure

log = logging.getLogger(__name__)
XML = "text/xml; charset=utf-8"

node = APIRouter(prefix="/pagopa", tags=["pagoPA node"])


def _settings(request: Request) -> PaymentsSettings:
    settings = request.app.state.infra.settings
    assert isinstance(settings, PaymentsSettings)
    return settings


def require_node(request: Request) -> None:
    settings = _settings(request)
    if not same_secret(request.headers.get(settings.node_secret_header), settings.node_secret):
        raise unauthorised()


@node.post("/paForNode", dependencies=[Depends(require_node)], response_class=Response)
async def pa_for_node(
    request: Request, soap_action: Annotated[str | None, Header(alias="SOAPAction")] = None
) -> Response:
    settings = _settings(request)
    infra: Infrastructure = request.app.state.infra
    body = await _read_limited(request, settings.soap_max_bytes)
    try:
        parsed = soap.parse_request(body, soap_action, settings.soap_max_bytes)
    except soap.SoapSyntaxError as error:
        if error.request_element is None:
            return Response(soap.soap_client_fault(error.description), status_code=500, media_type=XML)
        response = soap.REQUESTS[error.request_element][1]
        return _xml(soap.ko(response, error.fault, error.description, settings.creditor_fiscal_code))
    try:
        return _xml(await _dispatch(parsed, settings, infra))
    except NodeFault as fault:
        return _xml(soap.ko(parsed.response_element, fault.fault, fault.description, settings.creditor_fiscal_code))
    except Exception:
        log.exception("paForNode request failed", extra={"operation": parsed.operation})
        return _xml(soap.ko(parsed.response_element, Fault.SYSTEM_ERROR, None, settings.creditor_fiscal_code))


async def _dispatch(parsed: soap.NodeRequest, settings: PaymentsSettings, infra: Infrastructure) -> bytes:
    station = Station(settings.creditor_fiscal_code, settings.broker_id, settings.station_id)
    station.check_addressed(*messages.addressed_to(parsed.payload))
    ours, today = settings.creditor_fiscal_code, datetime.now(ROME).date()
    async with infra.unit_of_work() as uow:
        if parsed.operation == "paVerifyPaymentNotice":
            notice = await find_payable_notice(uow, messages.notice_query(parsed.payload), ours, today)
            return soap.ok(parsed.response_element, messages.verified(notice, settings))
        if parsed.operation in ("paGetPayment", "paGetPaymentV2"):
            amount = messages.requested_amount(parsed.payload)
            notice = await activate_notice(uow, messages.notice_query(parsed.payload), ours, today, amount)
            data = messages.payment_data(notice, settings, v2=parsed.operation == "paGetPaymentV2")
            return soap.ok(parsed.response_element, data)
        outcome = await receive_node_receipt(uow, messages.node_receipt(parsed.payload), ours)
    log.info("receipt from the node", extra={"operation": parsed.operation, "outcome": outcome.value})
    if outcome is Outcome.DUPLICATE and not settings.duplicate_receipt_ok:
        raise NodeFault(Fault.DUPLICATE_RECEIPT)
    return soap.ok(parsed.response_element)


async def _read_limited(request: Request, limit: int) -> bytes:
    """Stops reading one byte past the limit: an oversized body is refused, never buffered."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        chunks.append(chunk)
        if size > limit:
            break
    return b"".join(chunks)


def _xml(content: bytes) -> Response:
    return Response(content, media_type=XML)
