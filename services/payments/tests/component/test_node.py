"""The node's SOAP interface (paForNode): every operation, every fault, every answer XSD-valid."""

import asyncio
import dataclasses
import time
from typing import Any

import httpx
import pytest
from lxml import etree
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from payments.bootstrap import make_app
from payments.config import PaymentsSettings
from testkit.apps import running
from testkit.data import rome_today
from testkit.kafka import eventually

from ..conftest import NODE_SECRET, simulator  # type: ignore[import-not-found]

Node = simulator.NodeSimulator
ReceiptData = simulator.ReceiptData


@pytest.fixture
def valid(official_schema: etree.XMLSchema) -> Any:
    """Asserts that an answer's payload is valid against the official schema, and returns it."""

    def check(answer: Any) -> Any:
        assert answer.status == 200 and answer.payload is not None, answer.raw
        standalone = etree.fromstring(etree.tostring(answer.payload))
        assert official_schema.validate(standalone), official_schema.error_log
        return answer

    return check


async def test_verify_a_payable_notice(node: Node, new_notice: Any, valid: Any) -> None:
    created = await new_notice(2550)
    answer = valid(await node.verify(created["notice_number"]))
    assert answer.outcome == "OK"
    assert answer.find("paymentList/paymentOptionDescription/amount") == "25.50"
    assert answer.find("paymentList/paymentOptionDescription/options") == "EQ"
    assert answer.find("paymentList/paymentOptionDescription/dueDate") == created["due_date"]
    assert answer.find("fiscalCodePA") == "01234567897"
    assert answer.find("paymentDescription") == created["description"]
    assert answer.find("companyName")


@pytest.mark.parametrize("v2", [True, False])
async def test_activate_a_notice(node: Node, new_notice: Any, valid: Any, v2: bool) -> None:
    created = await new_notice(4000)
    answer = valid(await node.activate(created["notice_number"], 4000, v2=v2))
    assert answer.outcome == "OK"
    assert answer.find("data/creditorReferenceId") == created["iuv"]
    assert answer.find("data/paymentAmount") == "40.00"
    assert answer.find("data/transferList/transfer/transferAmount") == "40.00"
    assert answer.find("data/transferList/transfer/IBAN")
    assert answer.find("data/debtor/fullName") == "Anna Verdi"
    assert (answer.find("data/transferList/transfer/companyName") is not None) is v2
    # Activation locks nothing on our side: the notice stays payable until the receipt.
    assert (await node.verify(created["notice_number"])).outcome == "OK"
    refused = valid(await node.activate(created["notice_number"], 3999, v2=v2))
    assert refused.fault_code == "PAA_SEMANTICA"


async def test_unknown_notices_and_the_all_zeros_probe(node: Node, new_notice: Any, valid: Any) -> None:
    known = (await new_notice())["notice_number"]
    for answer in (
        await node.verify("000000000000000000"),
        await node.verify("302999999999999999"),
        await node.verify(known, fiscal_code="99999999999"),
        await node.activate("000000000000000000", v2=True),
        await node.activate("000000000000000000", v2=False),
    ):
        valid(answer)
        assert (answer.outcome, answer.fault_code) == ("KO", "PAA_PAGAMENTO_SCONOSCIUTO")
        assert answer.find("fault/id") == "01234567897"


@pytest.mark.parametrize(
    ("field", "code"),
    [
        ("creditor_fiscal_code", "PAA_ID_DOMINIO_ERRATO"),
        ("broker_id", "PAA_ID_INTERMEDIARIO_ERRATO"),
        ("station_id", "PAA_STAZIONE_INT_ERRATA"),
    ],
)
async def test_a_request_for_another_station(node: Node, new_notice: Any, valid: Any, field: str, code: str) -> None:
    created = await new_notice()
    other = dataclasses.replace(node, **{field: "77777777777"})
    rt = ReceiptData(created["notice_number"], created["iuv"], created["amount_cents"])
    for answer in (
        await other.verify(created["notice_number"]),
        await other.activate(created["notice_number"]),
        await other.send_receipt(rt),
    ):
        assert valid(answer).fault_code == code


async def test_expired_and_cancelled_notices(
    node: Node, payments: httpx.AsyncClient, new_notice: Any, valid: Any, settings: PaymentsSettings
) -> None:
    expired, cancelled = (await new_notice())["notice_number"], (await new_notice())["notice_number"]
    engine = create_async_engine(settings.database_url)
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE payment_notice SET due_date = current_date - 1 WHERE notice_number = :n"), {"n": expired}
        )
    await engine.dispose()
    await payments.post(f"/internal/notices/{cancelled}/cancel")
    assert (await payments.get(f"/internal/notices/{expired}")).json()["state"] == "expired"
    for number, code in ((expired, "PAA_PAGAMENTO_SCADUTO"), (cancelled, "PAA_PAGAMENTO_ANNULLATO")):
        assert valid(await node.verify(number)).fault_code == code
        assert valid(await node.activate(number)).fault_code == code


async def test_pay_at_a_counter(node: Node, new_notice: Any, valid: Any, received: Any, payments: Any) -> None:
    created = await new_notice(2000)
    answer, rt = await node.pay_at_counter(created["notice_number"])
    assert valid(answer).outcome == "OK"
    [event] = await received(created["account_id"], 1)
    assert event["amount_cents"] == 2000 and event["receipt_id"] == rt.receipt_id
    assert (event["notice_number"], event["iuv"]) == (created["notice_number"], created["iuv"])
    assert (event["psp"], event["channel"]) == ("BCITITMM", "BCITITMM_01")
    assert (await payments.get(f"/internal/notices/{created['notice_number']}")).json()["state"] == "paid"
    assert valid(await node.verify(created["notice_number"])).fault_code == "PAA_PAGAMENTO_DUPLICATO"
    assert valid(await node.activate(created["notice_number"])).fault_code == "PAA_PAGAMENTO_DUPLICATO"


async def test_pay_online_with_v1_messages(node: Node, new_notice: Any, valid: Any, received: Any) -> None:
    created = await new_notice(1500)
    answer, receipt = await node.pay_online(created["notice_number"], cart_id="cart-42")
    assert valid(answer).outcome == "OK"
    [event] = await received(created["account_id"], 1)
    assert (event["amount_cents"], event["psp"], event["receipt_id"]) == (1500, "CHKOUTPSP", receipt.receipt_id)


async def test_the_same_receipt_fifty_times_is_one_payment(
    node: Node, new_notice: Any, valid: Any, received: Any
) -> None:
    created = await new_notice(3000)
    rt = ReceiptData(created["notice_number"], created["iuv"], 3000)
    answers = await asyncio.gather(*(node.send_receipt(rt) for _ in range(50)))
    outcomes = sorted((valid(a).outcome, a.fault_code) for a in answers)
    assert outcomes == [("KO", "PAA_RECEIPT_DUPLICATA")] * 49 + [("OK", None)]
    assert len(await received(created["account_id"], 1)) == 1


async def test_a_lost_answer_makes_the_retry_harmless(node: Node, new_notice: Any, valid: Any, received: Any) -> None:
    created = await new_notice(700)
    rt = ReceiptData(created["notice_number"], created["iuv"], 700)
    _, retry = await node.deliver_with_lost_answer(rt)
    assert valid(retry).fault_code == "PAA_RECEIPT_DUPLICATA"
    assert len(await received(created["account_id"], 1)) == 1


async def test_duplicates_may_be_answered_ok(settings: PaymentsSettings, new_notice: Any, received: Any) -> None:
    lenient = settings.model_copy(update={"duplicate_receipt_ok": True})
    async with running(make_app(lenient)) as client:
        node = Node("", NODE_SECRET, http=client)
        created = await new_notice(900)
        rt = ReceiptData(created["notice_number"], created["iuv"], 900)
        first, again = await node.send_receipt(rt), await node.send_receipt(rt, v2=False)
        assert (first.outcome, again.outcome, again.fault_code) == ("OK", "OK", None)
    assert len(await received(created["account_id"], 1)) == 1


async def test_anomalies_are_kept_and_never_credited(
    node: Node, payments: httpx.AsyncClient, new_notice: Any, valid: Any, received: Any
) -> None:
    paid, mismatched = await new_notice(1000), await new_notice(1000)
    assert (await node.pay_at_counter(paid["notice_number"]))[0].outcome == "OK"
    second = ReceiptData(paid["notice_number"], paid["iuv"], 1000)
    wrong_amount = ReceiptData(mismatched["notice_number"], mismatched["iuv"], 999)
    for rt in (second, wrong_amount):
        assert valid(await node.send_receipt(rt)).outcome == "OK"  # kept: the node must not resend it
        assert valid(await node.send_receipt(rt)).fault_code == "PAA_RECEIPT_DUPLICATA"
    assert len(await received(paid["account_id"], 1)) == 1
    assert await received(mismatched["account_id"], 0) == []
    report = (await payments.get(f"/internal/reconciliation/{rome_today()}")).json()
    kinds = {f["reference"]: f["kind"] for f in report["findings"]}
    assert kinds[second.receipt_id] == "second_receipt"
    assert kinds[wrong_amount.receipt_id] == "amount_mismatch"
    state = (await payments.get(f"/internal/notices/{mismatched['notice_number']}")).json()["state"]
    assert state == "paid"  # paid, if not as asked: the office settles it


async def test_a_stand_in_receipt_without_activation(node: Node, new_notice: Any, valid: Any, received: Any) -> None:
    created = await new_notice(1200)
    rt = ReceiptData(created["notice_number"], created["iuv"], 1200, stand_in=True)
    assert valid(await node.send_receipt(rt)).outcome == "OK"
    assert len(await received(created["account_id"], 1)) == 1
    unknown = ReceiptData("302999999999999999", "02999999999999999", 1200, stand_in=True)
    assert valid(await node.send_receipt(unknown)).fault_code == "PAA_PAGAMENTO_SCONOSCIUTO"


async def test_schema_invalid_requests(node: Node, new_notice: Any, valid: Any) -> None:
    number = (await new_notice())["notice_number"]
    no_station = simulator.envelope(
        "paVerifyPaymentNotice", f"<idPA>01234567897</idPA><idBrokerPA>01234567897</idBrokerPA>{node.qr(number)}"
    )
    assert valid(await node.post("paVerifyPaymentNotice", no_station)).fault_code == "PAA_SINTASSI_XSD"
    short_number = simulator.envelope("paGetPaymentV2", node.ids() + node.qr("30220"))
    assert valid(await node.post("paGetPaymentV2", short_number)).fault_code == "PAA_SINTASSI_XSD"
    rt = ReceiptData(number, number[1:], 100)
    bad_receipt = node.receipt(rt).replace(b"<standIn>false</standIn>", b"<standin>false</standin>")
    assert valid(await node.post("paSendRTV2", bad_receipt)).fault_code == "PAA_SINTASSI_EXTRAXSD"
    not_xml = await node.post("paSendRT", b"<soapenv:Envelope><oops")
    assert valid(not_xml).fault_code == "PAA_SINTASSI_EXTRAXSD"
    unknown = await node.post("paSendRT", b"<a/>", soap_action="nothing")
    assert unknown.status == 500 and b"PAA_SINTASSI_EXTRAXSD" in unknown.raw


async def test_the_v2_receipt_element_is_matched_whatever_its_first_letter(
    node: Node, new_notice: Any, valid: Any
) -> None:
    created = await new_notice(100)
    body = node.receipt(ReceiptData(created["notice_number"], created["iuv"], 100))
    body = body.replace(b"paf:paSendRTV2Request", b"paf:PaSendRTV2Request")
    assert valid(await node.post("paSendRTV2", body, soap_action="PaSendRTV2Request")).outcome == "OK"


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
  xmlns:paf="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"><soapenv:Body><paf:paVerifyPaymentNoticeReq>
<idPA>01234567897</idPA><idBrokerPA>01234567897</idBrokerPA><idStation>01234567897_01</idStation>
<qrCode><fiscalCode>01234567897</fiscalCode><noticeNumber>&xxe;</noticeNumber></qrCode>
</paf:paVerifyPaymentNoticeReq></soapenv:Body></soapenv:Envelope>"""

LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'.encode() for i in range(1, 10))
    + XXE[XXE.index(b"]>") + 2 :].replace(b"&xxe;", b"&lol9;")
)


@pytest.mark.parametrize("attack", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
async def test_entity_attacks_get_a_syntax_fault(node: Node, valid: Any, attack: bytes) -> None:
    started = time.monotonic()
    answer = valid(await node.post("paVerifyPaymentNotice", attack))
    assert (answer.outcome, answer.fault_code) == ("KO", "PAA_SINTASSI_EXTRAXSD")
    assert b"root:" not in answer.raw and b"lollol" not in answer.raw
    assert time.monotonic() - started < 2


async def test_oversized_requests_are_refused(node: Node, valid: Any) -> None:
    huge = simulator.envelope("paVerifyPaymentNotice", "<!--" + "x" * 300_000 + "-->")
    assert valid(await node.post("paVerifyPaymentNotice", huge)).fault_code == "PAA_SINTASSI_EXTRAXSD"


async def test_the_endpoint_wants_the_node_secret(node: Node, new_notice: Any) -> None:
    number = (await new_notice())["notice_number"]
    for secret in ("", "wrong"):
        stranger = dataclasses.replace(node, secret=secret)
        answer = await stranger.verify(number)
        assert answer.status == 401 and answer.payload is None


async def test_the_daily_reconciliation_matches_receipts_and_credits(
    node: Node, payments: httpx.AsyncClient, new_notice: Any
) -> None:
    created = await new_notice(4200)
    _, rt = await node.pay_at_counter(created["notice_number"])
    today = rome_today()

    async def published() -> Any:
        report = (await payments.get(f"/internal/reconciliation/{today}")).json()
        events = [e for e in report["events"] if e["receipt_id"] == rt.receipt_id]
        return report if events and events[0]["published"] else None

    report = await eventually(published)
    assert [n["state"] for n in report["notices"] if n["notice_number"] == created["notice_number"]] == ["paid"]
    assert [r["amount_cents"] for r in report["receipts"] if r["receipt_id"] == rt.receipt_id] == [4200]
    flagged = {f["reference"] for f in report["findings"]}
    assert not flagged & {rt.receipt_id, created["notice_number"]}
    csv = await payments.get(f"/internal/reconciliation/{today}", params={"format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert f"receipt,{rt.receipt_id},{created['notice_number']}" in csv.text
