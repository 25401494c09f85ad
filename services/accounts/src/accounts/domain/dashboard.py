"""The office's dashboard (Cruscotto): what each panel shows, read from accounts itself and from
the other services. A panel whose service did not answer is None ("non disponibile"). Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from shared.errors import TransientError
from shared.paging import page_count


class Unavailable(TransientError):
    """A source of the dashboard did not answer (Kafka, for the dead letters)."""

    code = "non_disponibile"

    def __init__(self, what: str) -> None:
        super().__init__(f"{what}: dati non disponibili.")


@dataclass(frozen=True)
class LedgerDay:
    """The families' money at the end of a Rome day: the credit of the accounts in credit, the
    debt of those in debt (a negative number)."""

    day: date
    credit_cents: int
    debt_cents: int


@dataclass(frozen=True)
class TopUpDay:
    """pagoPA top-ups of a Rome day by channel (payments tells them apart): online, after a
    pagoPA Checkout cart, or at a counter with the printed notice (a tabaccheria, a bank...)."""

    day: date
    online_cents: int
    counter_cents: int

    @classmethod
    def of(cls, found: dict[str, Any]) -> TopUpDay:
        return cls(date.fromisoformat(found["day"]), int(found["online_cents"]), int(found["counter_cents"]))


@dataclass(frozen=True)
class Backlog:
    """A service's outbox: events not yet published, and of those, stuck over a minute."""

    service: str
    pending: int
    stuck: int
    oldest_seconds: float


@dataclass(frozen=True)
class SchoolMeals:
    """Meals served by one school, per day of the month."""

    school_id: str
    days: list[tuple[date, int]]


@dataclass(frozen=True)
class SchoolDay:
    """A school today, from attendance's overview: the close, meals, absences, the classes
    recorded and not, and the days gone by nobody closed."""

    school_id: str
    serves: bool
    closed_at: datetime | None
    meals: int
    absences: int
    recorded: list[str]
    to_record: list[str]
    never_closed: int
    never_closed_days: list[date]

    @classmethod
    def of(cls, found: dict[str, Any]) -> SchoolDay:
        def classes(state: str) -> list[str]:
            return [c["class_id"] for c in found["classes"] if c["state"] == state]

        closed_at = found.get("closed_at")
        return cls(
            school_id=found["school_id"],
            serves=bool(found["serves"]),
            closed_at=datetime.fromisoformat(closed_at) if closed_at else None,
            meals=int(found["meals"]),
            absences=int(found["absences"]),
            recorded=classes("rilevata"),
            to_record=classes("da_rilevare"),
            never_closed=int(found["never_closed"]),
            never_closed_days=[date.fromisoformat(d) for d in found["never_closed_days"]],
        )


@dataclass(frozen=True)
class Dashboard:
    day: date
    schools: list[SchoolDay] | None  # from attendance's overview of the day
    anomalies: list[dict[str, Any]] | None  # payments' unresolved receipt anomalies
    dead_letters: dict[str, int] | None  # per original topic, the records in its `.dlq`
    outboxes: list[Backlog | str]  # a service's backlog, or its name if it did not answer
    unanswered: int  # assistance conversations waiting for the office
    ledger: list[LedgerDay]
    top_ups: list[TopUpDay] | None  # from payments
    waiting_adjustments: int = 0
    meals: list[SchoolMeals] = field(default_factory=list)

    @property
    def dead_letters_total(self) -> int:
        return sum((self.dead_letters or {}).values())


def meals_per_school(served: list[dict[str, Any]], days: list[date]) -> list[SchoolMeals]:
    """Attendance's (school, day, meals) rows as one series per school over `days` (0 where none)."""
    found = {(row["school_id"], date.fromisoformat(row["service_date"])): int(row["meals"]) for row in served}
    schools = sorted({school for school, _ in found})
    return [SchoolMeals(s, [(d, found.get((s, d), 0)) for d in days]) for s in schools]


def city_meals(schools: list[SchoolMeals]) -> list[tuple[date, int]]:
    """The meals of every school added up, per day of the month (the city's chart)."""
    if not schools:
        return []
    return [(day, sum(s.days[n][1] for s in schools)) for n, (day, _) in enumerate(schools[0].days)]


def needs_the_office(school: SchoolDay) -> bool:
    """A day of service not closed yet, or days gone by that nobody closed."""
    return (school.serves and school.closed_at is None) or school.never_closed > 0


@dataclass(frozen=True)
class SchoolsShown:
    """One page of the Cruscotto's schools: a city has hundreds, so those that need the office
    come first, then the others, by code; `query` keeps the schools whose code contains it. The
    counts are the whole city's, whatever the page."""

    query: str
    page: int
    pages: int
    schools: list[SchoolDay]
    matching: int
    serving: int  # schools with a day of service today
    closed: int  # of those, closed
    late: int  # schools with days gone by never closed

    @classmethod
    def of(cls, schools: list[SchoolDay], query: str, page: int, size: int) -> SchoolsShown:
        wanted = query.strip().lower()
        kept = sorted(
            (s for s in schools if wanted in s.school_id.lower()),
            key=lambda s: (not needs_the_office(s), s.school_id),
        )
        pages = page_count(len(kept), size)
        page = min(page, pages)
        return cls(
            query=query.strip(),
            page=page,
            pages=pages,
            schools=kept[(page - 1) * size : page * size],
            matching=len(kept),
            serving=sum(s.serves for s in schools),
            closed=sum(s.serves and s.closed_at is not None for s in schools),
            late=sum(s.never_closed > 0 for s in schools),
        )

    def chosen(self, meals: list[SchoolMeals]) -> SchoolMeals | None:
        """The month of the one school the query names, for its own chart beside the city's."""
        found = [m for m in meals if m.school_id.lower() == self.query.lower()]
        return found[0] if self.query and found else None
