"""The pagoPA node's endpoint: SOAP 1.1 paForNode, dispatched on the payload's root element.

Authenticated by a shared-secret header; mutual TLS (the node's client certificate) is
terminated by the reverse proxy in front of the service (see the service README). Every answer
the node can act on is HTTP 200 with `outcome` OK or KO, as pagoPA expects.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response
from prometheus_client import Counter

from payments.adapters import node_messages as messages
from payments.adapters import pagopa_soap as soap
from payments.api.dependencies import ClockDep, CreditorDep, SettingsDep, StationDep, UowDep
from payments.domain.creditor import Creditor
from payments.domain.faults import Fault, NodeFault
from payments.domain.station import Station
from payments.handlers.activate_notice import activate_notice
from payments.handlers.ports import Clock, PaymentsUnitOfWork
from payments.handlers.receive_node_receipt import receive_node_receipt
from payments.handlers.verify_notice import verify_notice
from shared.http import same_secret, unauthorised

log = logging.getLogger(__name__)
XML = "text/xml; charset=utf-8"
OPERATIONS_DONE = Counter(
    "refettorio_pagopa_operations_total", "The node's paForNode requests by answer", ["operation", "outcome", "fault"]
)

node = APIRouter(prefix="/pagopa", tags=["pagoPA node"])


def require_node(request: Request, settings: SettingsDep) -> None:
    if not same_secret(request.headers.get(settings.node_secret_header), settings.node_secret):
        raise unauthorised()


@dataclass(frozen=True)
class _Call:
    """One request of the node, parsed and addressed to us, with what answering it takes."""

    request: soap.NodeRequest
    uow: PaymentsUnitOfWork
    station: Station
    creditor: Creditor
    clock: Clock


@node.post("/paForNode", dependencies=[Depends(require_node)], response_class=Response)
async def pa_for_node(
    request: Request,
    settings: SettingsDep,
    uow: UowDep,
    station: StationDep,
    creditor: CreditorDep,
    clock: ClockDep,
    soap_action: Annotated[str | None, Header(alias="SOAPAction")] = None,
) -> Response:
    body = await _read_limited(request, settings.soap_max_bytes)
    try:
        parsed = soap.parse_request(body, soap_action, settings.soap_max_bytes)
    except soap.SoapSyntaxError as error:
        if error.request_element is None:
            OPERATIONS_DONE.labels("unknown", "soap-fault", "").inc()
            return Response(soap.soap_client_fault(error.description), status_code=500, media_type=XML)
        operation = soap.REQUESTS[error.request_element][0]
        return _ko(operation, soap.REQUESTS[error.request_element][1], error.fault, error.description, station)
    try:
        station.check_addressed(messages.addressed_to(parsed.payload))
        answer = await OPERATIONS[parsed.operation](_Call(parsed, uow, station, creditor, clock))
    except NodeFault as fault:
        return _ko(parsed.operation, parsed.response_element, fault.fault, fault.description, station)
    except Exception:
        log.exception("paForNode request failed", extra={"operation": parsed.operation})
        return _ko(parsed.operation, parsed.response_element, Fault.SYSTEM_ERROR, None, station)
    OPERATIONS_DONE.labels(parsed.operation, "OK", "").inc()
    return _xml(answer)


async def _verify(call: _Call) -> bytes:
    query = messages.notice_query(call.request.payload)
    notice = await verify_notice(call.uow, query, call.station, call.clock)
    return soap.ok(call.request.response_element, messages.verified(notice, call.creditor))


async def _activate(call: _Call) -> bytes:
    payload = call.request.payload
    query, amount = messages.notice_query(payload), messages.requested_amount(payload)
    notice = await activate_notice(call.uow, query, amount, call.station, call.clock)
    v2 = call.request.operation == "paGetPaymentV2"
    return soap.ok(call.request.response_element, messages.payment_data(notice, call.creditor, v2))


async def _receipt(call: _Call) -> bytes:
    receipt = messages.node_receipt(call.request.payload, now=call.clock())
    await receive_node_receipt(call.uow, receipt, call.station)
    return soap.ok(call.request.response_element)


OPERATIONS: dict[str, Callable[[_Call], Awaitable[bytes]]] = {
    "paVerifyPaymentNotice": _verify,
    "paGetPayment": _activate,
    "paGetPaymentV2": _activate,
    "paSendRT": _receipt,
    "paSendRTV2": _receipt,
}


async def _read_limited(request: Request, limit: int) -> bytes:
    """Stops reading one byte past the limit: an oversized body is refused, never buffered."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        chunks.append(chunk)
        if size > limit:
            break
    return b"".join(chunks)


def _ko(operation: str, response_element: str, fault: Fault, description: str | None, station: Station) -> Response:
    OPERATIONS_DONE.labels(operation, "KO", fault.value).inc()
    return _xml(soap.ko(response_element, fault, description, station.creditor_fiscal_code))


def _xml(content: bytes) -> Response:
    return Response(content, media_type=XML)
