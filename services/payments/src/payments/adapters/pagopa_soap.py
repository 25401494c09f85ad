"""The node's SOAP 1.1 messages (paForNode): hardened parsing, XSD validation, responses.

Parsing never resolves entities, loads a DTD or touches the network, refuses any DOCTYPE and any
body over the size limit: XXE and billion-laughs payloads end as a syntax fault. Child elements
of the payload are unqualified, as the official schemas (no `elementFormDefault`) require.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

from payments.domain.faults import FAULT_STRINGS, Fault

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
PA_NS = "http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"
XSD = Path(__file__).parent / "xsd" / "wsdl" / "xsd" / "paForNode.xsd"

REQUESTS = {  # request root element -> (operation, response root element)
    "paVerifyPaymentNoticeReq": ("paVerifyPaymentNotice", "paVerifyPaymentNoticeRes"),
    "paGetPaymentReq": ("paGetPayment", "paGetPaymentRes"),
    "paGetPaymentV2Request": ("paGetPaymentV2", "paGetPaymentV2Response"),
    "paSendRTReq": ("paSendRT", "paSendRTRes"),
    "paSendRTV2Request": ("paSendRTV2", "paSendRTV2Response"),
}
_BY_LOWER_NAME = {name.lower(): name for name in REQUESTS} | {op.lower(): name for name, (op, _) in REQUESTS.items()}
RECEIPT_OPERATIONS = {"paSendRT", "paSendRTV2"}


@dataclass(frozen=True)
class NodeRequest:
    operation: str
    response_element: str
    payload: etree._Element


class SoapSyntaxError(Exception):
    """Unreadable or schema-invalid input; `request_element` is known when the payload was found."""

    def __init__(self, request_element: str | None, fault: Fault, description: str) -> None:
        super().__init__(description)
        self.request_element = request_element
        self.fault = fault
        self.description = description


@cache
def schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(XSD), parser))


def parse_request(body: bytes, soap_action: str | None, max_bytes: int) -> NodeRequest:
    guess = _BY_LOWER_NAME.get((soap_action or "").strip().strip('"').lower())
    if len(body) > max_bytes:
        raise SoapSyntaxError(guess, Fault.SYNTAX_EXTRA_XSD, "Messaggio troppo grande")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_pis=True)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        raise SoapSyntaxError(guess, Fault.SYNTAX_EXTRA_XSD, "XML non ben formato") from None
    payload = _payload(root)
    name = _BY_LOWER_NAME.get(etree.QName(payload).localname.lower()) if payload is not None else None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise SoapSyntaxError(name or guess, Fault.SYNTAX_EXTRA_XSD, "DTD non ammessa")
    if payload is None or name is None or etree.QName(payload).namespace != PA_NS:
        raise SoapSyntaxError(guess, Fault.SYNTAX_EXTRA_XSD, "Operazione non riconosciuta")
    payload.tag = f"{{{PA_NS}}}{name}"  # the node's `PaSendRTV2Request` spelling, normalised
    operation, response = REQUESTS[name]
    _validate(payload, name, operation)
    return NodeRequest(operation, response, payload)


def _payload(root: etree._Element) -> etree._Element | None:
    if root.tag != f"{{{SOAP_NS}}}Envelope":
        return None
    body = root.find(f"{{{SOAP_NS}}}Body")
    children = [c for c in body if isinstance(c.tag, str)] if body is not None else []
    return children[0] if len(children) == 1 else None


def _validate(payload: etree._Element, name: str, operation: str) -> None:
    standalone = etree.fromstring(etree.tostring(payload))
    if not schema().validate(standalone):
        error = schema().error_log.last_error
        fault = Fault.SYNTAX_EXTRA_XSD if operation in RECEIPT_OPERATIONS else Fault.SYNTAX_XSD
        raise SoapSyntaxError(name, fault, f"Riga {error.line}: {error.message}"[:500] if error else "XSD")


def text(payload: etree._Element, path: str) -> str:
    value = payload.findtext(path)
    if value is None:
        raise KeyError(path)  # the schema made it mandatory: a bug, not bad input
    return value.strip()


def optional_text(payload: etree._Element, path: str) -> str | None:
    value = payload.findtext(path)
    return value.strip() if value is not None else None


# Responses ----------------------------------------------------------------------------------


def add(parent: etree._Element, name: str, value: str | None = None) -> etree._Element:
    """Appends an unqualified child (callers add them in schema order)."""
    child = etree.SubElement(parent, name)
    if value is not None:
        child.text = value
    return child


def respond(response_element: str, fill: Callable[[etree._Element], None]) -> bytes:
    envelope = etree.Element(f"{{{SOAP_NS}}}Envelope", nsmap={"soapenv": SOAP_NS, "paf": PA_NS})
    etree.SubElement(envelope, f"{{{SOAP_NS}}}Header")
    body = etree.SubElement(envelope, f"{{{SOAP_NS}}}Body")
    fill(etree.SubElement(body, f"{{{PA_NS}}}{response_element}"))
    return bytes(etree.tostring(envelope, xml_declaration=True, encoding="UTF-8"))


def ok(response_element: str, fill: Callable[[etree._Element], None] | None = None) -> bytes:
    def outcome(payload: etree._Element) -> None:
        add(payload, "outcome", "OK")
        if fill is not None:
            fill(payload)

    return respond(response_element, outcome)


def ko(response_element: str, fault: Fault, description: str | None, fault_id: str) -> bytes:
    def outcome(payload: etree._Element) -> None:
        add(payload, "outcome", "KO")
        bean = add(payload, "fault")
        add(bean, "faultCode", fault.value)
        add(bean, "faultString", FAULT_STRINGS[fault])
        add(bean, "id", fault_id)
        add(bean, "description", description or FAULT_STRINGS[fault])

    return respond(response_element, outcome)


def soap_client_fault(description: str) -> bytes:
    """When not even the operation is known: a plain SOAP 1.1 Fault (HTTP 500)."""
    envelope = etree.Element(f"{{{SOAP_NS}}}Envelope", nsmap={"soapenv": SOAP_NS})
    fault = etree.SubElement(etree.SubElement(envelope, f"{{{SOAP_NS}}}Body"), f"{{{SOAP_NS}}}Fault")
    add(fault, "faultcode", "soapenv:Client")
    add(fault, "faultstring", f"{Fault.SYNTAX_EXTRA_XSD.value}: {description}")
    return bytes(etree.tostring(envelope, xml_declaration=True, encoding="UTF-8"))
