"""The portal's pure rules: a child's month at school, the 730 shares, who sees which notices,
the office's order of conversations, pagoPA's limits on a top-up."""

import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest

from accounts.domain.assistance import ConversationLine, Side, in_order, message
from accounts.domain.desk import Closure
from accounts.domain.exceptions import InvalidMessage, InvalidTopUpAmount
from accounts.domain.notices import FamilyNotice, NoticeState, seen_by
from accounts.domain.school_days import Attended, DayKind, SchoolMonth, month_of, parse_month
from accounts.domain.statements import Period, PeriodKind, deductible
from accounts.domain.top_ups import checked_amount
from accounts.domain.users import Principal, Role

SCHOOL = SchoolMonth(
    frozenset({1, 2, 3, 4, 5}), time(9, 30), "Europe/Rome", (Closure(date(2026, 12, 3), "", "strike", "sciopero"),)
)
MORNING = datetime(2026, 12, 2, 7, 0, tzinfo=UTC)  # 08:00 in Rome, Wednesday 2 December


def test_a_childs_month_tells_meals_absences_closures_and_what_can_still_change() -> None:
    attended = [
        Attended(date(2026, 12, 1), "presente"),
        Attended(date(2026, 12, 2), "assente", announced_by_parent=True),
        Attended(date(2026, 12, 4), "assente", announced_by_parent=True),
    ]
    month = month_of(date(2026, 12, 1), "4A", SCHOOL, attended, MORNING)
    days = {d.day.day: d for d in month.days}
    assert all(d.day.isoweekday() <= 5 for d in month.days) and len(month.days) == 23
    assert (days[1].kind, days[1].can_announce, days[1].past_cutoff) == (DayKind.MEAL, False, False)
    assert (days[2].kind, days[2].can_withdraw) == (DayKind.ANNOUNCED, True)  # before 09:30 today
    assert days[3].kind is DayKind.CLOSED and days[3].closure and days[3].closure.kind == "strike"
    assert days[4].can_withdraw and days[7].can_announce
    late = month_of(date(2026, 12, 1), "4A", SCHOOL, attended, MORNING + timedelta(hours=2))  # 10:00
    assert {d.day.day: (d.can_withdraw, d.past_cutoff) for d in late.days}[2] == (False, True)
    assert (month.meals, month.absences) == (1, 2)


def test_a_month_is_a_plausible_year_and_month() -> None:
    assert parse_month(None, date(2026, 12, 9)) == date(2026, 12, 1)
    assert parse_month("2027-01", date(2026, 12, 9)) == date(2027, 1, 1)
    for bad in ("2026-13", "0000-01", "dicembre", "9999-01"):
        with pytest.raises(ValueError, match=r"month|does not match|out of range|unconverted"):
            parse_month(bad, date(2026, 12, 9))


def test_the_deductible_share_never_exceeds_what_was_paid_nor_the_meals() -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    assert deductible({a: 4500, b: 900}, 10000) == {a: 4500, b: 900}
    shares = deductible({a: 4500, b: 900}, 1001)
    assert sum(shares.values()) == 1001 and shares[a] <= 4500 and shares[b] <= 900
    assert shares == {a: 835, b: 166}
    assert deductible({a: 4500}, 0) == {a: 0}
    assert Period(PeriodKind.SCHOOL, 2025).first_day == date(2025, 9, 1)
    assert Period(PeriodKind.SCHOOL, 2025).after == date(2026, 9, 1)
    assert Period(PeriodKind.CALENDAR, 2026).title == "anno 2026"
    with pytest.raises(ValueError, match="out of range"):
        Period(PeriodKind.CALENDAR, 99999)


def notice(state: NoticeState, activated: bool = False) -> FamilyNotice:
    return FamilyNotice(uuid.uuid4(), "3" * 18, "3333 3333", 2000, date(2027, 1, 31), state, activated, None)


def test_a_guardian_sees_no_paid_notice_and_an_activated_one_cannot_be_cancelled() -> None:
    notices = [notice(NoticeState.OPEN), notice(NoticeState.PAID), notice(NoticeState.OPEN, activated=True)]
    holder = Principal(uuid.uuid4(), Role.PARENT, uuid.uuid4(), is_holder=True)
    guardian = Principal(uuid.uuid4(), Role.PARENT, uuid.uuid4(), is_holder=False)
    assert seen_by(holder, notices) == notices
    assert [n.state for n in seen_by(guardian, notices)] == [NoticeState.OPEN, NoticeState.OPEN]
    assert [n.cancellable for n in notices] == [True, False, False]
    assert guardian.visible_balance(1500) is None and holder.visible_balance(-900) == -900


def test_the_office_sees_the_longest_waiting_conversation_first() -> None:
    at = datetime(2026, 12, 1, 9, tzinfo=UTC)

    def line(side: Side, hours: int, since: int | None) -> ConversationLine:
        waiting = at + timedelta(hours=since) if since is not None else None
        return ConversationLine(uuid.uuid4(), "A", "B", side, at + timedelta(hours=hours), waiting, 2)

    answered, recent, old = line(Side.OFFICE, 5, None), line(Side.FAMILY, 4, 3), line(Side.FAMILY, 6, 1)
    assert in_order([answered, recent, old]) == [old, recent, answered]
    with pytest.raises(InvalidMessage):
        message(uuid.uuid4(), Side.FAMILY, "Anna", " x ", at)
    assert message(uuid.uuid4(), Side.FAMILY, "Anna", "  Buongiorno  ", at).body == "Buongiorno"


def test_a_top_up_is_within_pagopas_limits() -> None:
    assert checked_amount(1) == 1 and checked_amount(99_999_999_999) == 99_999_999_999
    for bad in (0, -100, 100_000_000_000):
        with pytest.raises(InvalidTopUpAmount):
            checked_amount(bad)
