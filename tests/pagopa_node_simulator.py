"""A pagoPA node (and its PSPs) simulator: talks to the payments service over real SOAP 1.1.

Outside the service on purpose: plain httpx and string templates, the way the node would see our
station. It plays a counter payment (verify -> activate with paGetPaymentV2 -> receipt with
paSendRTV2), an online (Checkout) payment (paGetPayment with the cart id -> paSendRT), and the
node's retry of a receipt whose answer was lost, a Stand-In payment (our station does not answer:
the node takes the amount registered in ACA, `tests/aca_stand_in.py`, and delivers the receipt with
`standIn=true` once the station is back); and Checkout's cart API (`CheckoutSimulator`).
Usable as a library (tests, demo, bench) or from the command line:

    python tests/pagopa_node_simulator.py --url http://127.0.0.1:8003 --notice 302...
    python tests/pagopa_node_simulator.py --notice 302... --stand-in --aca http://127.0.0.1:8010
"""

from __future__ import annotations

import argparse
import asyncio
import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape

import httpx
from lxml import etree

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
PA_NS = "http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"
RESPONSES = {
    "paVerifyPaymentNotice": "paVerifyPaymentNoticeRes",
    "paGetPayment": "paGetPaymentRes",
    "paGetPaymentV2": "paGetPaymentV2Response",
    "paSendRT": "paSendRTRes",
    "paSendRTV2": "paSendRTV2Response",
}
REQUESTS = {
    "paVerifyPaymentNotice": "paVerifyPaymentNoticeReq",
    "paGetPayment": "paGetPaymentReq",
    "paGetPaymentV2": "paGetPaymentV2Request",
    "paSendRT": "paSendRTReq",
    "paSendRTV2": "paSendRTV2Request",
}


def euros(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def cents(amount: str | None) -> int:
    whole, _, rest = (amount or "0.00").partition(".")
    return int(whole) * 100 + int(rest or 0)


def envelope(operation: str, inner: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>'
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_NS}" xmlns:paf="{PA_NS}"><soapenv:Header/><soapenv:Body>'
        f"<paf:{REQUESTS[operation]}>{inner}</paf:{REQUESTS[operation]}>"
        f"</soapenv:Body></soapenv:Envelope>"
    ).encode()


@dataclass(frozen=True)
class Answer:
    """The node's view of our answer: the raw XML, the payload element, outcome and fault code."""

    status: int
    raw: bytes
    payload: etree._Element | None

    @property
    def outcome(self) -> str | None:
        return self.payload.findtext("outcome") if self.payload is not None else None

    @property
    def fault_code(self) -> str | None:
        return self.payload.findtext("fault/faultCode") if self.payload is not None else None

    def find(self, path: str) -> str | None:
        return self.payload.findtext(path) if self.payload is not None else None


@dataclass(frozen=True)
class Psp:
    id: str = "BCITITMM"
    company: str = "Tabaccheria da Gino (Banca 5)"
    channel: str = "BCITITMM_01"
    channel_description: str = "tabaccheria"
    method: str = "cash"


TABACCHERIA = Psp()
CHECKOUT = Psp("CHKOUTPSP", "PSP online (Checkout)", "CHKOUTPSP_03", "online", "creditCard")


@dataclass
class NodeSimulator:
    url: str
    secret: str
    creditor_fiscal_code: str = "01234567897"
    broker_id: str = "01234567897"
    station_id: str = "01234567897_01"
    secret_header: str = "X-PagoPA-Node-Secret"
    http: httpx.AsyncClient = field(default_factory=lambda: httpx.AsyncClient(timeout=10))

    def ids(self) -> str:
        return (
            f"<idPA>{self.creditor_fiscal_code}</idPA><idBrokerPA>{self.broker_id}</idBrokerPA>"
            f"<idStation>{self.station_id}</idStation>"
        )

    async def post(
        self, operation: str, body: bytes, soap_action: str | None = None, timeout: float | None = None
    ) -> Answer:
        headers = {
            "Content-Type": "text/xml; charset=utf-8",
            "SOAPAction": soap_action or operation,
            self.secret_header: self.secret,
        }
        response = await self.http.post(
            f"{self.url}/pagopa/paForNode", content=body, headers=headers, timeout=timeout or self.http.timeout
        )
        payload = None
        if response.headers.get("content-type", "").startswith("text/xml"):
            root = etree.fromstring(response.content, etree.XMLParser(resolve_entities=False, no_network=True))
            payload = root.find(f"{{{SOAP_NS}}}Body/{{{PA_NS}}}{RESPONSES[operation]}")
        return Answer(response.status_code, response.content, payload)

    def qr(self, notice_number: str, fiscal_code: str | None = None) -> str:
        code = fiscal_code or self.creditor_fiscal_code
        return f"<qrCode><fiscalCode>{code}</fiscalCode><noticeNumber>{notice_number}</noticeNumber></qrCode>"

    async def verify(self, notice_number: str, fiscal_code: str | None = None) -> Answer:
        inner = self.ids() + self.qr(notice_number, fiscal_code)
        return await self.post("paVerifyPaymentNotice", envelope("paVerifyPaymentNotice", inner))

    async def activate(
        self, notice_number: str, amount_cents: int | None = None, v2: bool = True, note: str | None = None
    ) -> Answer:
        operation = "paGetPaymentV2" if v2 else "paGetPayment"
        inner = self.ids() + self.qr(notice_number)
        if amount_cents is not None:
            inner += f"<amount>{euros(amount_cents)}</amount>"
        if note is not None:
            inner += f"<paymentNote>{escape(note)}</paymentNote>"
        return await self.post(operation, envelope(operation, inner))

    def receipt(self, rt: ReceiptData, v2: bool = True) -> bytes:
        operation = "paSendRTV2" if v2 else "paSendRT"
        return envelope(operation, self.ids() + rt.xml(self.creditor_fiscal_code))

    async def send_receipt(self, rt: ReceiptData, v2: bool = True) -> Answer:
        return await self.post("paSendRTV2" if v2 else "paSendRT", self.receipt(rt, v2))

    async def pay_at_counter(self, notice_number: str, psp: Psp = TABACCHERIA) -> tuple[Answer, ReceiptData]:
        """A parent pays a notice at a tabaccheria: verify, activate (V2), receipt (V2)."""
        verified = await self.verify(notice_number)
        if verified.outcome != "OK":
            return verified, ReceiptData.empty(notice_number)
        amount = cents(verified.find("paymentList/paymentOptionDescription/amount"))
        activated = await self.activate(notice_number, amount)
        if activated.outcome != "OK":
            return activated, ReceiptData.empty(notice_number)
        rt = ReceiptData.from_activation(notice_number, activated, psp)
        return await self.send_receipt(rt), rt

    async def pay_online(self, notice_number: str, cart_id: str) -> tuple[Answer, ReceiptData]:
        """Checkout: the node activates with the cart id (paGetPayment v1) and sends a v1 receipt."""
        activated = await self.activate(notice_number, v2=False, note=f"idCart={cart_id}")
        if activated.outcome != "OK":
            return activated, ReceiptData.empty(notice_number)
        rt = ReceiptData.from_activation(notice_number, activated, CHECKOUT)
        return await self.send_receipt(rt, v2=False), rt

    async def station_answers(self) -> bool:
        """Whether our station is up: it answers the node's Stand-In probe (the all-zeros notice)."""
        try:
            return (await self.verify("000000000000000000")).payload is not None
        except httpx.TransportError:
            return False

    async def take_in_stand_in(self, notice_number: str, aca_url: str, psp: Psp = TABACCHERIA) -> ReceiptData | None:
        """Our station is down, so the node pays the notice from ACA: the amount ACA holds for it,
        if it holds a VALID position that allows Stand-In; ACA records it paid. Returns the receipt
        the node will deliver (`send_receipt`) when the station is back, or None if ACA refused."""
        iuv = notice_number[1:]
        position = f"{aca_url}/stand-in/positions/{self.creditor_fiscal_code}/{iuv}"
        async with httpx.AsyncClient(timeout=10) as aca:
            found = await aca.get(position)
            held = found.json() if found.status_code == 200 else {}
            if held.get("status") != "VALID" or held.get("nav", notice_number) != notice_number:
                return None
            if (await aca.post(f"{position}/paid")).status_code != 200:
                return None
        return ReceiptData(notice_number, iuv, int(held["amount"]), psp=psp, stand_in=True)

    async def deliver_with_lost_answer(self, rt: ReceiptData, timeout: float = 0.02) -> tuple[Answer | None, Answer]:
        """The node gives up waiting for our answer (a short timeout), so it sends the receipt again.

        Returns the first answer if it arrived after all (in-process transports ignore timeouts)
        and the retry's answer.
        """
        body = self.receipt(rt)
        try:
            first: Answer | None = await self.post("paSendRTV2", body, timeout=timeout)
        except httpx.TimeoutException:
            first = None
        return first, await self.send_receipt(rt)


@dataclass(frozen=True)
class ReceiptData:
    notice_number: str
    iuv: str
    amount_cents: int
    receipt_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    psp: Psp = TABACCHERIA
    debtor_code: str = "ANONIMO"
    debtor_name: str = "Pagatore"
    stand_in: bool = False
    paid_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @classmethod
    def empty(cls, notice_number: str) -> ReceiptData:
        return cls(notice_number, notice_number[1:], 0)

    @classmethod
    def from_activation(cls, notice_number: str, activated: Answer, psp: Psp) -> ReceiptData:
        return cls(
            notice_number=notice_number,
            iuv=activated.find("data/creditorReferenceId") or "",
            amount_cents=cents(activated.find("data/paymentAmount")),
            psp=psp,
            debtor_code=activated.find("data/debtor/uniqueIdentifier/entityUniqueIdentifierValue") or "ANONIMO",
            debtor_name=activated.find("data/debtor/fullName") or "Pagatore",
        )

    def xml(self, fiscal_code: str) -> str:
        amount = euros(self.amount_cents)
        return (
            f"<receipt><receiptId>{escape(self.receipt_id)}</receiptId><noticeNumber>{self.notice_number}</noticeNumber>"
            f"<fiscalCode>{fiscal_code}</fiscalCode><outcome>OK</outcome>"
            f"<creditorReferenceId>{self.iuv}</creditorReferenceId><paymentAmount>{amount}</paymentAmount>"
            f"<description>Ricarica conto mensa</description><companyName>Comune</companyName>"
            f"<debtor><uniqueIdentifier><entityUniqueIdentifierType>F</entityUniqueIdentifierType>"
            f"<entityUniqueIdentifierValue>{escape(self.debtor_code)}</entityUniqueIdentifierValue></uniqueIdentifier>"
            f"<fullName>{escape(self.debtor_name)}</fullName></debtor>"
            f"<transferList><transfer><idTransfer>1</idTransfer><transferAmount>{amount}</transferAmount>"
            f"<fiscalCodePA>{fiscal_code}</fiscalCodePA><IBAN>IT60X0542811101000000123456</IBAN>"
            f"<remittanceInformation>Ricarica conto mensa</remittanceInformation>"
            f"<transferCategory>9/0201102IM/</transferCategory></transfer></transferList>"
            f"<idPSP>{self.psp.id}</idPSP><PSPCompanyName>{escape(self.psp.company)}</PSPCompanyName>"
            f"<idChannel>{self.psp.channel}</idChannel><channelDescription>{self.psp.channel_description}"
            f"</channelDescription><paymentMethod>{self.psp.method}</paymentMethod><fee>1.00</fee>"
            f"<paymentDateTime>{self.paid_at.isoformat(timespec='seconds')}</paymentDateTime>"
            f"<applicationDate>{self.paid_at.date()}</applicationDate><transferDate>{self.paid_at.date()}</transferDate>"
            f"<standIn>{'true' if self.stand_in else 'false'}</standIn></receipt>"
        )


class CheckoutSimulator:
    """Plays pagoPA Checkout on a loopback port: its cart API (`POST /checkout/ec/v1/carts` answers
    302 with the page of the cart, and keeps the carts it received) and that page, where a person
    pays or cancels. Paying runs `pay(notice_number, cart_id)` (the node's activation and receipt,
    as `NodeSimulator.pay_online` does) and sends the browser back to the creditor's `returnOkUrl`;
    cancelling, to its `returnCancelUrl`. Without `pay`, the page only offers to cancel."""

    def __init__(self, subscription_key: str) -> None:
        self.subscription_key = subscription_key
        self.carts: dict[str, dict[str, Any]] = {}
        self.pay: Callable[[str, str], None] | None = None
        simulator = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                if self.path.startswith("/c/") and self.path.endswith("/paga"):
                    simulator._paid(self, self.path.split("/")[2])
                    return
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
                valid = (
                    self.path == "/checkout/ec/v1/carts"
                    and self.headers.get("Ocp-Apim-Subscription-Key") == simulator.subscription_key
                    and body.get("paymentNotices")
                    and body.get("returnUrls")
                )
                if not valid:
                    self.send_response(400)
                    self.end_headers()
                    return
                cart_id = str(body.get("idCart") or uuid.uuid4().hex)
                simulator.carts[cart_id] = body
                simulator._redirect(self, f"{simulator.url}/c/{cart_id}", 302)

            def do_GET(self) -> None:
                simulator._page(self, self.path.removeprefix("/c/"))

            def log_message(self, *args: object) -> None:  # quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _page(self, handler: BaseHTTPRequestHandler, cart_id: str) -> None:
        cart = self.carts.get(cart_id)
        if cart is None:
            handler.send_response(404)
            handler.end_headers()
            return
        notice = cart["paymentNotices"][0]
        amount = f"{notice['amount'] // 100},{notice['amount'] % 100:02d}"
        cancel = escape(cart["returnUrls"]["returnCancelUrl"], {'"': "&quot;"})
        page = (
            f'<!doctype html><html lang="it"><head><meta charset="utf-8"><title>pagoPA Checkout (simulatore)</title>'
            f"</head><body><main><h1>pagoPA Checkout (simulatore)</h1><p>{escape(notice['description'])}</p>"
            f'<p>Importo: {amount} euro</p><form method="post" action="/c/{cart_id}/paga">'
            f'<button type="submit">Paga</button></form><p><a href="{cancel}">Annulla</a></p></main></body></html>'
        ).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(page)))
        handler.end_headers()
        handler.wfile.write(page)

    def _paid(self, handler: BaseHTTPRequestHandler, cart_id: str) -> None:
        cart = self.carts.get(cart_id)
        if cart is None or self.pay is None:
            handler.send_response(404)
            handler.end_headers()
            return
        self.pay(cart["paymentNotices"][0]["noticeNumber"], cart_id)
        self._redirect(handler, cart["returnUrls"]["returnOkUrl"], 303)

    @staticmethod
    def _redirect(handler: BaseHTTPRequestHandler, location: str, status: int) -> None:
        handler.send_response(status)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    def __enter__(self) -> CheckoutSimulator:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


async def _main() -> None:
    parser = argparse.ArgumentParser(description="Pays a notice as the pagoPA node and a tabaccheria would.")
    parser.add_argument("--url", default="http://127.0.0.1:8003")
    parser.add_argument("--secret", default="dev-node-secret")
    parser.add_argument("--notice", required=True, help="the 18-digit notice number")
    parser.add_argument("--online", action="store_true", help="pay through Checkout instead of a counter")
    parser.add_argument(
        "--stand-in", action="store_true", help="pay from ACA, as the node does when the station is down"
    )
    parser.add_argument("--aca", default="http://127.0.0.1:8010", help="the ACA stand-in")
    args = parser.parse_args()
    node = NodeSimulator(args.url, args.secret)
    if args.stand_in:
        taken = await node.take_in_stand_in(args.notice, args.aca)
        if taken is None:
            print("ACA holds no payable position for this notice: no Stand-In payment")
            return
        answer, rt = await node.send_receipt(taken), taken
    elif args.online:
        answer, rt = await node.pay_online(args.notice, uuid.uuid4().hex)
    else:
        answer, rt = await node.pay_at_counter(args.notice)
    print(f"receipt {rt.receipt_id}: {answer.outcome} {answer.fault_code or ''}".strip())
    await node.http.aclose()


if __name__ == "__main__":
    asyncio.run(_main())
