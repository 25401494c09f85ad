"""Closing a school year: the decision per account, and closing twice changing nothing."""

import uuid

from accounts.domain.ledger import Cause
from accounts.domain.year_end import Candidate, Outcome, decide
from accounts.handlers.close_school_year import close_school_year
from shared.school_year import SchoolYear

from .fakes import FakeAccountsUnitOfWork

YEAR = SchoolYear(2030)
IBAN = "IT60X0542811101000000123456"


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
    first = await close_school_year(uow, YEAR, "ufficio")
    uow.ledger.balances[staying.account_id] = 999  # whatever happens next year
    second = await close_school_year(uow, YEAR, "ufficio")

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
