"""Top-ups: the amounts pagoPA takes, what the ledger calls the credit of a notice, and the
notice in the app IO when the parent asks for it (a `notification-requested` that notifications
turns into a message the notice can be paid from, IO's `payment_data`)."""

from __future__ import annotations

import uuid
from datetime import date

from accounts.domain.exceptions import InvalidTopUpAmount
from shared.events import NotificationRequested, Template

# The letter sets no minimum and no maximum: pagoPA's own limits apply (`stAmountNotZero`).
PAGOPA_MIN_CENTS, PAGOPA_MAX_CENTS = 1, 99_999_999_999

_NOTICES_IN_IO = uuid.UUID("6f3c2a52-5b0e-4d8c-9a51-0e0c4f1f9a10")


def notice_in_io(
    account_id: uuid.UUID, notice_number: str, amount_cents: int, due_date: date, payee_fiscal_code: str
) -> NotificationRequested:
    """One request per notice (its id derives from the notice number), so that the same notice
    published twice is still one message. The payee is the creditor: IO lets a municipality's
    service send only its own notices."""
    return NotificationRequested(
        request_id=uuid.uuid5(_NOTICES_IN_IO, notice_number),
        account_ids=[account_id],
        template=Template.PAYMENT_NOTICE,
        params={
            "notice_number": notice_number,
            "amount_cents": amount_cents,
            "due_date": due_date.isoformat(),
            "payee_fiscal_code": payee_fiscal_code,
        },
        channels=["io"],
    )


def checked_amount(cents: int) -> int:
    if not PAGOPA_MIN_CENTS <= cents <= PAGOPA_MAX_CENTS:
        raise InvalidTopUpAmount()
    return cents


def credit_description(notice_number: str) -> str:
    """The ledger's description of a notice's credit: how the outcome page finds it."""
    return f"Ricarica pagoPA avviso {notice_number}"
