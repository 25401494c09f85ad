"""Closing a school year: the decision per account, and closing twice changing nothing."""

import uuid
from datetime import date

import pytest
from pydantic import ValidationError

from accounts.config import AccountsSettings
from accounts.domain.exceptions import YearNotOver
from accounts.domain.ledger import Cause
from accounts.domain.users import Principal, Role
from accounts.domain.year_end import Candidate, JobState, Outcome, Tally, YearEnd, check_closable, decide, totals
from accounts.handlers.close_school_year import close_next_batch, start_closing
from shared.school_year import SchoolYear

from .fakes import FakeAccountsUnitOfWork

YEAR = SchoolYear(2030)
IBAN = "IT60X0542811101000000123456"
MANAGER = Principal(uuid.uuid4(), Role.MANAGER, name="ufficio")
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


async def close_all(uow: FakeAccountsUnitOfWork, size: int = 2) -> int:
    batches = 0
    while await close_next_batch(uow, size):
        batches += 1
    return batches


async def test_closing_goes_in_batches_and_a_second_start_changes_nothing() -> None:
    leaving, staying, empty = candidate(False), candidate(True), candidate(False)
    uow = FakeAccountsUnitOfWork({leaving.account_id: 2000, staying.account_id: 1500, empty.account_id: 0})
    uow.year_closings.enrolled[YEAR] = [leaving, staying, empty]
    first = await start_closing(uow, YEAR, MANAGER, AFTER)
    assert not first.already and (first.job.state, first.job.total, first.job.done) == (JobState.RUNNING, 3, 0)
    assert await close_all(uow) == 3  # two batches of two accounts at most, then the end
    uow.ledger.balances[staying.account_id] = 999  # whatever happens next year
    second = await start_closing(uow, YEAR, MANAGER, AFTER)
    assert await close_all(uow) == 0

    assert second.already and second.job.state is JobState.DONE and second.job.done == 3
    assert {a: end.outcome for (_, a), end in uow.year_closings.closings.items()} == {
        leaving.account_id: Outcome.REFUNDED,
        staying.account_id: Outcome.CARRIED_OVER,
        empty.account_id: Outcome.NOTHING,
    }
    assert uow.ledger.balances[leaving.account_id] == 0
    assert sorted(uow.ledger.causes()) == ["carry_over", "refund"]
    assert [r.account_id for r in uow.year_closings.refunds] == [leaving.account_id]
    assert [e.action.value for e in uow.audit.entries] == ["school_year_closing_started", "school_year_closed"]
    late = candidate(False)  # enrolled in the closed year afterwards: a new start closes it alone
    uow.ledger.balances[late.account_id] = 450
    uow.year_closings.enrolled[YEAR].append(late)
    third = await start_closing(uow, YEAR, MANAGER, AFTER)
    assert not third.already and third.job.total == 1 and await close_all(uow) == 2
    assert uow.ledger.balances[late.account_id] == 0 and uow.ledger.balances[staying.account_id] == 999
    assert uow.audit.entries[1].after == {
        "refunded": 1,
        "without_iban": 1,  # the fake knows no IBANs
        "credit_carried": 1,
        "debt_carried": 0,
        "nothing": 1,
    }


def test_totals_count_the_refunds_without_an_iban_apart() -> None:
    ends = [
        (YearEnd(uuid.uuid4(), Outcome.REFUNDED, 2000), IBAN),
        (YearEnd(uuid.uuid4(), Outcome.REFUNDED, 500), None),
        (YearEnd(uuid.uuid4(), Outcome.CARRIED_OVER, -700), None),
        (YearEnd(uuid.uuid4(), Outcome.CARRIED_OVER, 300), IBAN),
    ]
    sums = totals(ends)
    assert (sums.refunded, sums.without_iban) == (Tally(2, 2500), Tally(1, 500))
    assert (sums.debt_carried, sums.credit_carried, sums.nothing) == (Tally(1, 700), Tally(1, 300), Tally())


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
        await start_closing(uow, YEAR, MANAGER, date(2031, 3, 2))
    assert uow.commits == 0 and not uow.year_closings.jobs


def test_production_refuses_to_start_without_the_treasury_iban() -> None:
    """The refunds' transfer file pays from the municipality's treasury: no IBAN, no file."""
    strong = {name: "x" * 32 for name in ("session_secret", "oidc_client_secret", "person_signing_key", "sealing_key")}
    given = {"environment": "production", "database_url": "postgresql://x", "service_token": "s" * 32, **strong}
    with pytest.raises(ValidationError, match="ACCOUNTS_TREASURY_IBAN"):
        AccountsSettings(**given, office_token=None, treasury_iban=" ")
    assert AccountsSettings(**given, office_token=None, treasury_iban=IBAN).treasury_iban == IBAN
