import uuid

from accounts.domain.ledger import Cause, Movement, distinct_by_source, entry_id, post


def movement(account: uuid.UUID, cents: int, source_id: str) -> Movement:
    return Movement(account, Cause.MEAL if cents < 0 else Cause.TOP_UP, cents, "test", source_id)


def test_posting_runs_each_accounts_balance_in_order() -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    balances = {a: 100, b: 0}
    posted = post(balances, [movement(a, -450, "1"), movement(b, 2000, "2"), movement(a, -450, "3")])
    assert [(p.balance_before_cents, p.balance_after_cents) for p in posted] == [(100, -350), (0, 2000), (-350, -800)]
    assert balances == {a: -800, b: 2000}


def test_entry_ids_are_deterministic_per_source() -> None:
    a = uuid.uuid4()
    assert entry_id(movement(a, -450, "x")) == entry_id(movement(a, -450, "x"))
    assert entry_id(movement(a, -450, "x")) != entry_id(movement(a, -450, "y"))


def test_a_batch_repeating_a_fact_keeps_the_first() -> None:
    a = uuid.uuid4()
    kept = list(distinct_by_source([movement(a, -450, "1"), movement(a, -450, "1"), movement(a, -450, "2")]))
    assert [m.source_id for m in kept] == ["1", "2"]
