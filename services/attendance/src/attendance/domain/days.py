"""One school's service day under its lock: what its calendar says of it and whether it was
closed; what may still happen to it (absences, announcements, the close, corrections)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from attendance.domain.calendar import DayService
from attendance.domain.exceptions import (
    CorrectionWindowClosed,
    DayAlreadyClosed,
    DayNotClosed,
    FutureDay,
    NoServiceOnDay,
    NotToday,
    ReasonRequired,
    TooLate,
)


@dataclass(frozen=True)
class DayClose:
    closed_at: datetime
    meals: int


@dataclass(frozen=True)
class Day:
    school_id: str
    service_date: date
    service: DayService
    close: DayClose | None = None

    def check_today(self, today_of: datetime | None) -> None:
        """A school's terminal acts on its own today only (`today_of`, the moment of its request):
        past days and later ones are the office's (None: any day)."""
        if today_of is not None and self.service.calendar.today(today_of) != self.service_date:
            raise NotToday()

    def check_absences(self, class_id: str) -> None:
        """The terminal posts a class's absences until the close, on a day the class is served."""
        if self.close is not None:
            raise DayAlreadyClosed()
        if not self.service.serves(class_id):
            raise NoServiceOnDay()

    def check_announcement(self, class_id: str, now: datetime) -> None:
        """A parent announces an absence (or withdraws it) before the cut-off, and before the close."""
        if not self.service.serves(class_id):
            raise NoServiceOnDay()
        if not self.service.calendar.announcements_open(self.service_date, now) or self.close is not None:
            raise TooLate()

    def check_closable(self, now: datetime, reason: str | None = None) -> None:
        """A day without service cannot be closed, nor one that has not begun in the school's time
        zone; closing a day already gone (the office's, after the fact) takes a reason."""
        if not self.service.school_serves:
            raise NoServiceOnDay()
        if not self.service.calendar.has_begun(self.service_date, now):
            raise FutureDay()
        if self.service.calendar.today(now) > self.service_date and not reason:
            raise ReasonRequired()

    def check_correctable(self, now: datetime, window: timedelta | None) -> None:
        """Corrections come after the close; `window` limits how long after it (terminals)."""
        if self.close is None:
            raise DayNotClosed()
        if window is not None and now - self.close.closed_at > window:
            raise CorrectionWindowClosed()
