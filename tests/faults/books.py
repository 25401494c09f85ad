"""How every fault scenario ends: the books are exact and nothing is left to publish.

- every expected movement is booked once, with its amount, on its account, and nothing else is;
- every stored balance equals the sum of its movements;
- no outbox row of any service is left unpublished.
The databases are only read (plain SQL on the ledger, the accounts and the outboxes).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import asyncpg

from shared.events import Envelope, MealConsumed
from testkit.databases import plain_dsn

from .system import MEAL_PRICE_CENTS

Key = tuple[str, str]  # ("meal", meal id), ("payment", payment id) or ("entry", ledger entry id)


@dataclass
class Books:
    """What the ledger must hold: each key once, on its account, with its amount in cents."""

    expected: dict[Key, tuple[uuid.UUID, int]] = field(default_factory=dict)

    def meals(self, envelopes: list[Envelope[MealConsumed]]) -> None:
        for e in envelopes:
            self.expected[("meal", str(e.data.meal_id))] = (e.data.account_id, -MEAL_PRICE_CENTS)

    def top_up(self, payment_id: uuid.UUID | str, account_id: uuid.UUID | str, cents: int) -> None:
        self.expected[("payment", str(payment_id))] = (uuid.UUID(str(account_id)), cents)

    def entry(self, entry_id: str, account_id: str, cents: int) -> None:
        """A movement an HTTP command booked (its answer names the ledger entry)."""
        self.expected[("entry", entry_id)] = (uuid.UUID(account_id), cents)

    def balances(self) -> dict[uuid.UUID, int]:
        totals: Counter[uuid.UUID] = Counter()
        for account, cents in self.expected.values():
            totals[account] += cents
        return dict(totals)


async def rows(database_url: str, query: str, *args: object) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(plain_dsn(database_url), timeout=10)
    try:
        return list(await conn.fetch(query, *args))
    finally:
        await conn.close()


async def count(database_url: str, query: str, *args: object) -> int:
    return int((await rows(database_url, query, *args))[0][0])


async def poll_count(
    database_url: str, query: str, *args: object, done: Callable[[int], bool], interval: float, timeout: float
) -> int:
    """Runs a count on one connection (a connection is costly on a busy machine) until `done`
    says yes or the time is up; returns the last count."""
    conn = await asyncpg.connect(plain_dsn(database_url), timeout=10)
    try:
        deadline = time.monotonic() + timeout
        while True:
            found = int(await conn.fetchval(query, *args))
            if done(found) or time.monotonic() > deadline:
                return found
            await asyncio.sleep(interval)
    finally:
        await conn.close()


MEALS_BOOKED = "SELECT count(*) FROM ledger_entry WHERE source = 'meal' AND source_id = ANY($1)"


async def meals_booked(accounts_url: str, meal_ids: list[str]) -> int:
    return await count(accounts_url, MEALS_BOOKED, meal_ids)


async def until_booked(accounts_url: str, meal_ids: list[str], share: float, timeout: float = 120) -> int:
    """Waits until `share` of the meals are booked (a moment of a burst to strike at)."""
    wanted = share * len(meal_ids)
    booked = await poll_count(
        accounts_url, MEALS_BOOKED, meal_ids, done=lambda n: n >= wanted, interval=0.02, timeout=timeout
    )
    assert booked >= wanted, f"{share:.0%} of the meals not booked within {timeout}s"
    return booked


async def wait_booked(accounts_url: str, books: Books, timeout: float = 180.0) -> None:
    """Waits until the ledger holds as many movements as expected, then checks them exactly."""
    query, wanted = "SELECT count(*) FROM ledger_entry", len(books.expected)
    await poll_count(accounts_url, query, done=lambda n: n >= wanted, interval=0.25, timeout=timeout)
    await asyncio.sleep(1.0)  # anything extra that was still on its way
    await check_books(accounts_url, books)


async def check_books(accounts_url: str, books: Books) -> None:
    ledger = await rows(accounts_url, "SELECT id, source, source_id, account_id, amount_cents FROM ledger_entry")
    found = Counter(_key(r) for r in ledger)
    amounts = {_key(r): (r["account_id"], r["amount_cents"]) for r in ledger}
    missing = books.expected.keys() - found.keys()
    unexpected = found.keys() - books.expected.keys()
    doubled = [k for k, n in found.items() if n > 1]
    wrong = [k for k in books.expected.keys() & found.keys() if amounts[k] != books.expected[k]]
    unbalanced = await rows(
        accounts_url,
        "SELECT a.id, a.balance_cents, coalesce(sum(e.amount_cents), 0) AS total FROM account a"
        " LEFT JOIN ledger_entry e ON e.account_id = a.id GROUP BY a.id HAVING a.balance_cents"
        " <> coalesce(sum(e.amount_cents), 0)",
    )
    problems = {
        "missing": len(missing),
        "unexpected": len(unexpected),
        "booked twice": len(doubled),
        "wrong account or amount": len(wrong),
        "balance != sum(movements)": len(unbalanced),
    }
    assert not any(problems.values()), (
        f"{len(books.expected)} movements expected, {len(ledger)} booked: {problems}; "
        f"e.g. missing {sorted(missing)[:3]}, unexpected {sorted(unexpected)[:3]}, unbalanced {unbalanced[:3]}"
    )
    balances = await rows(
        accounts_url, "SELECT id, balance_cents FROM account WHERE id = ANY($1)", list(books.balances())
    )
    assert {r["id"]: r["balance_cents"] for r in balances} == books.balances()


def _key(row: asyncpg.Record) -> Key:
    if row["source"] in ("meal", "payment"):
        return (row["source"], row["source_id"])
    return ("entry", str(row["id"]))


async def wait_outboxes_drained(*database_urls: str, timeout: float = 120.0) -> None:
    """Every outbox row of these services' databases is published (none pending, none set aside)."""
    query = "SELECT count(*) FROM outbox WHERE published_at IS NULL"
    pending = {
        url: await poll_count(url, query, done=lambda n: n == 0, interval=0.25, timeout=timeout)
        for url in database_urls
    }
    assert not any(pending.values()), f"unpublished outbox rows: {pending}"
