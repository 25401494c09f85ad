"""Paper vouchers handed back to the office ("MODULO – RESTITUZIONE BUONI PASTO CARTACEI"): one
form, one credit of `count × unit_cents` for the pupil's family. Pure.

A form with a number is credited once: the number is the ledger key of its credit, and the same
number again with the same content answers the first booking (with other content it is refused).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime

from accounts.domain.ledger import Cause, Movement
from shared.money import format_euro

SOURCE = Cause.PAPER_VOUCHERS.value


@dataclass(frozen=True)
class VoucherForm:
    account_id: uuid.UUID
    student_id: uuid.UUID
    count: int
    unit_cents: int
    received_on: date
    received_by: str  # who at the office took the vouchers
    form_number: str | None = None
    recorded_by: str = ""  # who booked the form
    entry_id: uuid.UUID | None = None  # the ledger entry, once booked
    recorded_at: datetime | None = None

    @property
    def total_cents(self) -> int:
        return self.count * self.unit_cents

    def same_form(self, other: VoucherForm) -> bool:
        """The same content (who booked it, and when, aside)."""
        return replace(self, recorded_by="", entry_id=None, recorded_at=None) == replace(
            other, recorded_by="", entry_id=None, recorded_at=None
        )

    def movement(self) -> Movement:
        source_id = f"modulo:{self.form_number}" if self.form_number else str(uuid.uuid4())
        return Movement(
            self.account_id,
            Cause.PAPER_VOUCHERS,
            self.total_cents,
            SOURCE,
            source_id,
            f"Buoni pasto cartacei: {self.count} × {format_euro(self.unit_cents)}",
            self.student_id,
            self.recorded_by or self.received_by,
        )
