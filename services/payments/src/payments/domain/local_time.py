"""The service's one time zone, the municipality's: "today", a notice's due date and a
reconciliation day are days in Rome; moments are kept in UTC."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from shared.local_time import ROME

__all__ = ["ROME", "rome_date", "rome_day"]


def rome_date(moment: datetime) -> date:
    return moment.astimezone(ROME).date()


def rome_day(day: date) -> tuple[datetime, datetime]:
    """The moments [start, end) of a day in Rome (23 or 25 hours long when the clocks change)."""
    start = datetime.combine(day, time(), ROME)
    return start, start + timedelta(days=1)
