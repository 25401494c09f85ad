"""A message in the app IO as IO's Services API takes it (`NewMessage`). Pure.

A subject of 10-120 characters and a Markdown body of 80-10,000; for a payment notice its
`payment_data` (the 18-digit notice number, the amount in cents, the payee: the creditor's
11-digit fiscal code, which IO requires to be the sending municipality's own) and its due date.
IO shows a due date as a day: a notice due on a day is payable until that day's end, local time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from notifications.domain.rules import Rule

SUBJECT_LENGTH = range(10, 121)
MARKDOWN_LENGTH = range(80, 10_001)
MAX_AMOUNT_CENTS = 9_999_999_999
_NOTICE_NUMBER = re.compile(r"[0123][0-9]{17}")
_CREDITOR_FISCAL_CODE = re.compile(r"[0-9]{11}")


@dataclass(frozen=True)
class PaymentData:
    notice_number: str
    amount_cents: int
    payee_fiscal_code: str


@dataclass(frozen=True)
class IoMessage:
    subject: str
    markdown: str
    due_date: datetime | None = None
    payment: PaymentData | None = None


def notice_of(params: Mapping[str, Any]) -> tuple[PaymentData, date]:
    """The notice a `payment_notice` names, and its due day; ValueError if IO would refuse it."""
    number, cents, payee = params.get("notice_number"), params.get("amount_cents"), params.get("payee_fiscal_code")
    if not isinstance(number, str) or not _NOTICE_NUMBER.fullmatch(number):
        raise ValueError("numero avviso non valido (18 cifre)")
    if isinstance(cents, bool) or not isinstance(cents, int) or not 0 < cents <= MAX_AMOUNT_CENTS:
        raise ValueError("importo non valido (centesimi, maggiore di zero)")
    if not isinstance(payee, str) or not _CREDITOR_FISCAL_CODE.fullmatch(payee):
        raise ValueError("codice fiscale dell'ente creditore non valido (11 cifre)")
    try:
        due = date.fromisoformat(str(params.get("due_date")))
    except ValueError as error:
        raise ValueError("data di scadenza non valida") from error
    return PaymentData(number, cents, payee), due


def io_message(rule: str, subject: str, markdown: str, params: Mapping[str, Any], zone: ZoneInfo) -> IoMessage:
    """The rendered texts as an IO message: the subject shortened to fit, the notice attached for
    a `payment_notice`. ValueError when a text is out of IO's limits (a template to fix)."""
    if len(subject) > SUBJECT_LENGTH.stop - 1:
        subject = subject[: SUBJECT_LENGTH.stop - 2].rstrip() + "…"
    if len(subject) not in SUBJECT_LENGTH or len(markdown) not in MARKDOWN_LENGTH:
        raise ValueError(f"testo fuori dai limiti di IO: oggetto {len(subject)}, corpo {len(markdown)} caratteri")
    if rule != Rule.PAYMENT_NOTICE:
        return IoMessage(subject, markdown)
    payment, due = notice_of(params)
    return IoMessage(subject, markdown, end_of_day(due, zone), payment)


def end_of_day(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=zone)
