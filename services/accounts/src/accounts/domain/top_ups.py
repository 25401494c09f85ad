"""A top-up's notice in the app IO, when the parent asks for it: a `notification-requested` that
notifications turns into a message the notice can be paid from (IO's `payment_data`)."""

from __future__ import annotations

import uuid
from datetime import date

from shared.events import NotificationRequested, Template

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
