"""Maps the node's paForNode payloads to the handlers' inputs, and notices to responses."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from lxml import etree

from payments.adapters.pagopa_soap import add, optional_text, text
from payments.domain.creditor import Creditor
from payments.domain.faults import Fault, NodeFault
from payments.domain.local_time import ROME
from payments.domain.notice import Notice, cents_of, euros
from payments.domain.receipt import Receipt
from payments.domain.station import Addressee
from payments.handlers.verify_notice import NoticeQuery


def addressed_to(payload: etree._Element) -> Addressee:
    return Addressee(text(payload, "idPA"), text(payload, "idBrokerPA"), text(payload, "idStation"))


def notice_query(payload: etree._Element) -> NoticeQuery:
    return NoticeQuery(text(payload, "qrCode/fiscalCode"), text(payload, "qrCode/noticeNumber"))


def requested_amount(payload: etree._Element) -> int | None:
    amount = optional_text(payload, "amount")
    return _cents(amount) if amount is not None else None


def node_receipt(payload: etree._Element, now: datetime) -> Receipt:
    """The receipt; paid `now` when the node does not say when."""
    rt = payload.find("receipt")
    assert rt is not None  # mandatory in the schema
    receipt_id = text(rt, "receiptId")
    if not 0 < len(receipt_id) <= 64:
        raise NodeFault(Fault.SYNTAX_EXTRA_XSD, "receiptId deve avere da 1 a 64 caratteri")
    if text(rt, "outcome") != "OK":
        raise NodeFault(Fault.SEMANTIC, "Ricevuta con esito negativo")
    return Receipt(
        receipt_id=receipt_id,
        creditor_fiscal_code=text(rt, "fiscalCode"),
        notice_number=text(rt, "noticeNumber"),
        iuv=text(rt, "creditorReferenceId"),
        amount_cents=_cents(text(rt, "paymentAmount")),
        psp=text(rt, "idPSP"),
        channel=text(rt, "idChannel"),
        paid_at=_paid_at(optional_text(rt, "paymentDateTime"), now),
        stand_in=optional_text(rt, "standIn") in ("true", "1"),
    )


def _cents(value: str) -> int:
    try:
        return cents_of(value)
    except (ValueError, ArithmeticError) as error:  # a receipt that can never be right: not "retry"
        raise NodeFault(Fault.SYNTAX_EXTRA_XSD, "paymentAmount non valido") from error


def _paid_at(value: str | None, now: datetime) -> datetime:
    if value is None:
        return now
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise NodeFault(Fault.SYNTAX_EXTRA_XSD, "paymentDateTime non valido") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=ROME)  # the node's local time


def verified(notice: Notice, creditor: Creditor) -> Callable[[etree._Element], None]:
    def fill(payload: etree._Element) -> None:
        option = add(add(payload, "paymentList"), "paymentOptionDescription")
        add(option, "amount", euros(notice.amount_cents))
        add(option, "options", "EQ")
        add(option, "dueDate", notice.due_date.isoformat())
        add(option, "detailDescription", notice.description)
        add(option, "allCCP", "false")
        add(payload, "paymentDescription", notice.description)
        add(payload, "fiscalCodePA", creditor.fiscal_code)
        add(payload, "companyName", creditor.name)
        add(payload, "officeName", creditor.office)

    return fill


def payment_data(notice: Notice, creditor: Creditor, v2: bool) -> Callable[[etree._Element], None]:
    def fill(payload: etree._Element) -> None:
        data = add(payload, "data")
        add(data, "creditorReferenceId", notice.iuv)
        add(data, "paymentAmount", euros(notice.amount_cents))
        add(data, "dueDate", notice.due_date.isoformat())
        add(data, "description", notice.description)
        add(data, "companyName", creditor.name)
        add(data, "officeName", creditor.office)
        debtor = add(data, "debtor")
        identifier = add(debtor, "uniqueIdentifier")
        add(identifier, "entityUniqueIdentifierType", "F")
        add(identifier, "entityUniqueIdentifierValue", notice.debtor_tax_code)
        add(debtor, "fullName", notice.debtor_name)
        transfer = add(add(data, "transferList"), "transfer")
        add(transfer, "idTransfer", "1")
        add(transfer, "transferAmount", euros(notice.amount_cents))
        add(transfer, "fiscalCodePA", creditor.fiscal_code)
        if v2:
            add(transfer, "companyName", creditor.name)
        add(transfer, "IBAN", creditor.iban)
        add(transfer, "remittanceInformation", notice.description)
        add(transfer, "transferCategory", creditor.transfer_category)
        entry = add(add(data, "metadata"), "mapEntry")  # comes back unchanged in the receipt
        add(entry, "key", "refettorioNotice")
        add(entry, "value", notice.notice_number)

    return fill
