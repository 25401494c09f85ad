from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from notifications.domain.delivery import ContactCard, QuietHours, RetryPolicy, Route, State, family_name, route
from notifications.domain.exceptions import InvalidRequest
from notifications.domain.notices import requested
from notifications.domain.rules import BalanceState, ReminderPolicy, Rule, balance_alert

ROME = ZoneInfo("Europe/Rome")
T = 2250


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (2700, 2250, None),  # at the threshold is not below it
        (2250, 1800, Rule.LOW_CREDIT),
        (1800, 1350, None),  # already below: no new alert
        (450, 3450, None),  # a top-up re-arms, says nothing
        (400, -50, Rule.IN_DEBT),
        (3000, -100, Rule.IN_DEBT),  # both crossings at once: the graver one only
        (-50, -500, None),
        (0, -1, Rule.IN_DEBT),
    ],
)
def test_balance_alerts_fire_on_crossings_only(before: int, after: int, expected: Rule | None) -> None:
    assert balance_alert(before, after, T) is expected


def test_the_balance_state_remembers_when_the_streak_began() -> None:
    day = datetime(2026, 11, 2, 12, tzinfo=UTC)
    state = BalanceState(100, None)
    state.apply(-350, day)
    state.apply(-800, day + timedelta(days=1))
    assert state.negative_since == day
    state.apply(0, day + timedelta(days=2))
    assert (state.balance_cents, state.negative_since) == (0, None)


def test_reminder_periods_count_from_the_end_of_the_grace_days() -> None:
    policy = ReminderPolicy(after_days=7, period_days=7)
    since = datetime(2026, 11, 1, 10, tzinfo=UTC)
    assert policy.period(since, since + timedelta(days=7)) is None  # "more than" 7 days
    assert policy.period(since, since + timedelta(days=7, seconds=1)) == 0
    assert policy.period(since, since + timedelta(days=13, hours=23)) == 0
    assert policy.period(since, since + timedelta(days=14, seconds=1)) == 1


@pytest.mark.parametrize(
    ("local", "quiet"),
    [(time(19, 59), False), (time(20, 0), True), (time(23, 30), True), (time(3, 0), True), (time(8, 0), False)],
)
def test_quiet_hours_span_midnight(local: time, quiet: bool) -> None:
    now = datetime.combine(datetime(2026, 11, 25).date(), local, tzinfo=ROME)
    assert QuietHours().contains(now) is quiet


def test_the_quiet_hours_end_the_next_morning_even_across_a_time_change() -> None:
    saturday_night = datetime(2026, 10, 24, 22, 0, tzinfo=ROME)  # CEST ends on the night to Sunday
    end = QuietHours().next_end(saturday_night)
    assert (end.date().isoformat(), end.time(), end.utcoffset()) == ("2026-10-25", time(8, 0), timedelta(hours=1))
    early = datetime(2026, 11, 25, 6, 0, tzinfo=ROME)
    assert QuietHours().next_end(early) == datetime(2026, 11, 25, 8, 0, tzinfo=ROME)


def test_routing_opt_outs_quiet_hours_and_missing_addresses() -> None:
    day, night = datetime(2026, 11, 25, 11, tzinfo=UTC), datetime(2026, 11, 25, 22, tzinfo=UTC)
    card = ContactCard("a@example.it", "+393331234567", email_opt_out=False, sms_opt_out=True)
    quiet = QuietHours()
    assert route("sms", card, day, quiet) == Route(State.SUPPRESSED_OPT_OUT)
    assert route("email", card, night, quiet) == Route(State.QUEUED)
    morning = datetime(2026, 11, 26, 8, tzinfo=ROME)
    assert route("sms", None, night, quiet) == Route(State.DEFERRED_QUIET_HOURS, morning)
    assert route("sms", ContactCard("a@example.it", None, False, False), day, quiet) is None


def test_in_the_app_io_the_family_is_its_holders_fiscal_code_and_may_refuse_it() -> None:
    night = datetime(2026, 11, 25, 22, tzinfo=UTC)
    on_io = ContactCard("a@example.it", None, False, False, holder_tax_code="RSSMRA80A01H501U")
    assert on_io.address("io") == "RSSMRA80A01H501U"
    assert route("io", on_io, night, QuietHours()) == Route(State.QUEUED)  # no quiet hours: the app's own settings
    refusing = ContactCard("a@example.it", None, False, False, "RSSMRA80A01H501U", io_opt_out=True)
    assert route("io", refusing, night, QuietHours()) == Route(State.SUPPRESSED_OPT_OUT)
    from_v1 = ContactCard("a@example.it", None, False, False)  # a v1 change: no fiscal code
    assert route("io", from_v1, night, QuietHours()) is None


def test_retries_back_off_up_to_a_cap() -> None:
    policy = RetryPolicy(max_attempts=4, base_seconds=5, cap_seconds=12)
    assert [policy.delay(n).total_seconds() for n in (1, 2, 3)] == [5, 10, 12]
    assert not policy.exhausted(3) and policy.exhausted(4)


def test_requests_name_a_known_template_with_its_params() -> None:
    assert requested("password_reset", {"reset_url": "https://x.it/r?t=1"}, ["email", "sms"]) == (
        Rule.PASSWORD_RESET,
        ("email",),
    )
    assert requested("broadcast", {"subject": "S", "text": "T"}, ["sms"]) == (Rule.BROADCAST, ("sms",))
    with pytest.raises(InvalidRequest, match="sconosciuto"):
        requested("nope", {}, ["email"])
    with pytest.raises(InvalidRequest, match="text"):
        requested("broadcast", {"subject": "S"}, ["email"])
    with pytest.raises(InvalidRequest):
        requested("password_reset", {"reset_url": "javascript:alert(1)"}, ["email"])


def test_the_family_name_comes_from_its_own_children() -> None:
    assert family_name(["Rossi", "Rossi ", "Bianchi"]) == "Bianchi Rossi"
    assert family_name([]) == ""
