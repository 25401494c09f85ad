"""The Scrivania's arithmetic: the balance's state, how far it goes, the months."""

from datetime import date

from accounts.domain.desk import (
    BalanceState,
    Child,
    Closure,
    MonthTotals,
    SchoolCalendar,
    balance_state,
    forecast,
    last_months,
    month_series,
)

WEEKDAYS = SchoolCalendar(frozenset({1, 2, 3, 4, 5}))
MONDAY = date(2026, 11, 30)


def test_state_follows_the_meals_the_balance_covers() -> None:
    assert balance_state(-1, 450, 5) is BalanceState.IN_DEBT
    assert balance_state(0, 450, 5) is BalanceState.LOW
    assert balance_state(2249, 450, 5) is BalanceState.LOW
    assert balance_state(2250, 450, 5) is BalanceState.IN_CREDIT


def test_two_children_eat_the_balance_meal_by_meal_on_service_days() -> None:
    children = [Child("Giulia", "garibaldi", "4A", 450), Child("Luca", "garibaldi", "2B", 360)]
    # € 20,00: Mon 8,10, Tue 8,10 -> 3,80 left, less than Giulia's 4,50 on Wednesday.
    found = forecast(2000, children, {"garibaldi": WEEKDAYS}, MONDAY, date(2027, 2, 28))
    assert (found.meals, found.last_day, found.beyond_horizon) == (4, date(2026, 12, 1), False)


def test_closures_and_weekends_cost_nothing() -> None:
    strike = SchoolCalendar(WEEKDAYS.weekdays, (Closure(date(2026, 12, 1), "", "strike", "sciopero"),))
    trip = Closure(date(2026, 12, 2), "4A", "trip", "gita")
    calendar = SchoolCalendar(WEEKDAYS.weekdays, (*strike.closures, trip))
    found = forecast(
        1350, [Child("Giulia", "garibaldi", "4A", 450)], {"garibaldi": calendar}, MONDAY, date(2027, 1, 31)
    )
    # Mon eats, Tue strike, Wed Giulia's class on a trip, Thu and Fri eat: three meals.
    assert (found.meals, found.last_day) == (3, date(2026, 12, 4))


def test_a_debt_covers_nothing_and_a_large_credit_goes_past_the_horizon() -> None:
    child = [Child("Giulia", "garibaldi", "4A", 450)]
    assert forecast(-900, child, {"garibaldi": WEEKDAYS}, MONDAY, date(2027, 1, 31)).meals == 0
    far = forecast(1_000_000, child, {"garibaldi": WEEKDAYS}, MONDAY, date(2026, 12, 4))
    assert (far.meals, far.last_day, far.beyond_horizon) == (5, date(2026, 12, 4), True)


def test_months_without_movements_keep_the_balance() -> None:
    months = last_months(date(2026, 12, 1), 4)
    assert months == [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)]
    moved = {date(2026, 10, 1): MonthTotals(date(2026, 10, 1), 2000, -450, 1550)}
    series = month_series(300, moved, months)
    assert [m.closing_cents for m in series] == [300, 1550, 1550, 1550]
    assert (series[1].credits_cents, series[1].debits_cents, series[2].credits_cents) == (2000, -450, 0)
