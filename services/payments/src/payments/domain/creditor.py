"""The municipality as pagoPA knows it: who is paid, into which account, how its notices are numbered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Creditor:
    fiscal_code: str
    name: str
    office: str
    iban: str
    transfer_category: str  # pagoPA's taxonomy code of the service paid for
    cbill: str
    segregation_code: str
    notice_validity_days: int

    def due_date(self, today: date) -> date:
        """A new notice's due date when none is asked for."""
        return today + timedelta(days=self.notice_validity_days)
