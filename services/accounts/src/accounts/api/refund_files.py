"""The refunds to pay as files for the treasury: the SEPA credit transfer (pain.001.001.03,
through `sepaxml`, which validates what it writes against the schema it ships) and a CSV
(Italian spreadsheet style, `shared.spreadsheet`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from fastapi import Response
from sepaxml import SepaTransfer

from accounts.config import AccountsSettings
from accounts.domain.exceptions import NoRefundsToPay, TreasuryIbanMissing
from accounts.domain.users import Principal
from accounts.handlers.export_refunds import RefundsToPay, export_refunds
from accounts.handlers.ports import AccountsUnitOfWork
from accounts.handlers.read_models import RefundToPay
from shared import local_time
from shared.spreadsheet import csv_text, decimal_euros

CSV_HEADER = ("Identificativo", "Titolare", "IBAN", "Importo (EUR)", "Causale", "Registrato il")


async def transfer_file(uow: AccountsUnitOfWork, who: Principal, settings: AccountsSettings) -> Response:
    """The export (audited) of the refunds to pay with an IBAN, as pain.001."""
    return pain001(await export_refunds(uow, who, "pain.001"), settings)


async def spreadsheet(uow: AccountsUnitOfWork, who: Principal) -> Response:
    """The export (audited) of every refund to pay, as CSV ("IBAN mancante" where none)."""
    return refunds_csv(await export_refunds(uow, who, "csv"))


def pain001(refunds: RefundsToPay, settings: AccountsSettings) -> Response:
    if not refunds.payable:
        raise NoRefundsToPay()
    if not settings.treasury_iban:
        raise TreasuryIbanMissing()
    debtor = Debtor(settings.municipality_name, settings.treasury_iban, settings.treasury_bic)
    xml = credit_transfer(debtor, refunds.payable, local_time.today())
    return _attachment(xml, "application/xml", "rimborsi-pain001.xml")


def refunds_csv(refunds: RefundsToPay) -> Response:
    rows = [
        (
            end_to_end_id(r),
            f"{r.holder_first_name} {r.holder_last_name}",
            r.iban or "IBAN mancante",
            decimal_euros(r.amount_cents),
            r.reason,
            r.created_at.astimezone(local_time.ROME).strftime("%d/%m/%Y"),
        )
        for r in [*refunds.payable, *refunds.without_iban]
    ]
    return _attachment(csv_text(CSV_HEADER, rows).encode("utf-8-sig"), "text/csv; charset=utf-8", "rimborsi.csv")


def _attachment(body: bytes, media_type: str, filename: str) -> Response:
    return Response(body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


SCHEMA = "pain.001.001.03"


@dataclass(frozen=True)
class Debtor:
    """Who pays: the municipality's treasury account."""

    name: str
    iban: str
    bic: str | None = None


def credit_transfer(debtor: Debtor, refunds: Sequence[RefundToPay], execution: date) -> bytes:
    """One transaction per refund (each with an IBAN), its end-to-end id the refund's own."""
    config = {"name": debtor.name, "IBAN": _compact(debtor.iban), "batch": True, "currency": "EUR"}
    if debtor.bic:
        config["BIC"] = debtor.bic
    transfer = SepaTransfer(config, schema=SCHEMA, clean=True)
    for r in refunds:
        assert r.iban, "a refund without an IBAN is listed apart, never in the file"
        transfer.add_payment(
            {
                "name": f"{r.holder_first_name} {r.holder_last_name}",
                "IBAN": _compact(r.iban),
                "amount": r.amount_cents,
                "execution_date": execution,
                "description": r.reason,
                "endtoend_id": end_to_end_id(r),
            }
        )
    return bytes(transfer.export(validate=True))


def end_to_end_id(refund: RefundToPay) -> str:
    """Stable per refund: the same refund exported twice carries the same id (32 characters)."""
    return refund.refund_id.hex


def _compact(iban: str) -> str:
    return iban.replace(" ", "").upper()
