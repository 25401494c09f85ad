"""Closing a school year: the decision per account, and closing twice changing nothing."""

import uuid
from datetime import date

import pytest

from accounts.domain.exceptions import YearNotOver
from accounts.domain.ledger import Cause
from accounts.domain.year_end import Candidate, Outcome, check_closable, decide
from accounts.handlers.close_school_year import close_school_year
from shared.school_year import SchoolYear

from .fakes import FakeAccountsUnitOfWork

YEAR = SchoolYear(2030)
IBAN = "IT60X0542811101000000123456"
AFTER = date(2031, 7, 1)  # the first day the year 2030/2031 may be closed


def candidate(continues: bool) -> Candidate:
    return Candidate(uuid.uuid4(), IBAN, continues)


def test_a_credit_with_no_child_continuing_is_refunded_to_zero() -> None:
    decision = decide(candidate(continues=False), 2000, YEAR, "ufficio")
    assert decision.year_end.outcome is Outcome.REFUNDED and decision.year_end.amount_cents == 2000
    assert decision.movement is not None and decision.movement.cause is Cause.REFUND
    assert decision.movement.amount_cents == -2000
    assert decision.refund is not None and (decision.refund.amount_cents, decision.refund.iban) == (2000, IBAN)
    assert decision.refund.reason == "Credito residuo a fine anno 2030/2031"


def test_a_credit_of_a_continuing_family_or_a_debt_is_carried_over_by_a_zero_movement() -> None:
    staying = decide(candidate(continues=True), 1500, YEAR, "ufficio")
    in_debt = decide(candidate(continues=False), -700, YEAR, "ufficio")
    for decision in (staying, in_debt):
        assert decision.year_end.outcome is Outcome.CARRIED_OVER and decision.refund is None
        assert decision.movement is not None and decision.movement.amount_cents == 0
    assert staying.movement is not None and in_debt.movement is not None
    assert staying.movement.description == "Credito residuo di € 15,00 riportato al 2031/2032"
    assert in_debt.movement.description == "Debito residuo di € 7,00 riportato al 2031/2032"


def test_a_zero_balance_needs_nothing() -> None:
    decision = decide(candidate(continues=False), 0, YEAR, "ufficio")
    assert decision.year_end.outcome is Outcome.NOTHING and decision.movement is None and decision.refund is None


async def test_closing_twice_books_once_and_reports_the_first_closing() -> None:
    leaving, staying, empty = candidate(False), candidate(True), candidate(False)
    uow = FakeAccountsUnitOfWork({leaving.account_id: 2000, staying.account_id: 1500, empty.account_id: 0})
    uow.year_closings.enrolled[YEAR] = [leaving, staying, empty]
    first = await close_school_year(uow, YEAR, "ufficio", AFTER)
    uow.ledger.balances[staying.account_id] = 999  # whatever happens next year
    second = await close_school_year(uow, YEAR, "ufficio", AFTER)

    assert {c.year_end.account_id: c.year_end.outcome for c in first} == {
        leaving.account_id: Outcome.REFUNDED,
        staying.account_id: Outcome.CARRIED_OVER,
        empty.account_id: Outcome.NOTHING,
    }
    assert not any(c.already_closed for c in first) and all(c.already_closed for c in second)
    assert [c.year_end for c in second] == [c.year_end for c in first]
    assert uow.ledger.balances[leaving.account_id] == 0
    assert sorted(uow.ledger.causes()) == ["carry_over", "refund"]
    assert [r.account_id for r in uow.year_closings.refunds] == [leaving.account_id]
    assert uow.commits == 2


def test_a_year_closes_from_july_of_its_end_or_earlier_only_with_a_reason() -> None:
    """Hardening finding 5: anyone could close the current year in October, refunding to zero the
    families whose next-year enrolments were not in yet."""
    check_closable(YEAR, AFTER, None)
    for early in (date(2030, 10, 15), date(2031, 6, 30)):
        with pytest.raises(YearNotOver) as refused:
            check_closable(YEAR, early, None)
        assert refused.value.code == "anno_in_corso" and "01/07/2031" in str(refused.value)
        with pytest.raises(YearNotOver):
            check_closable(YEAR, early, "   ")
        check_closable(YEAR, early, "Il servizio termina il 12 giugno per lavori")


async def test_an_early_closing_is_refused_before_anything_is_read() -> None:
    uow = FakeAccountsUnitOfWork({})
    with pytest.raises(YearNotOver):
        await close_school_year(uow, YEAR, "ufficio", date(2031, 3, 2))
    assert uow.commits == 0
