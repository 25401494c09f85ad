"""Esegui ricarica with "invia all'app IO": the notice, and a request to notifications for it."""

import uuid
from datetime import date
from typing import Any

from accounts.domain.family import Holder
from accounts.domain.top_ups import notice_in_io
from accounts.handlers.request_top_up import request_top_up
from shared.events import NotificationRequested, Template

from .fakes import FakeAccountsUnitOfWork

HOLDER = Holder("RSSMRA80A01H501U", "Mario", "Rossi")


class Payments:
    """Answers as payments' internal API does (the fields accounts reads)."""

    def __init__(self) -> None:
        self.created: list[tuple[uuid.UUID, int, Holder]] = []

    async def create_notice(self, account_id: uuid.UUID, amount_cents: int, debtor: Holder) -> dict[str, Any]:
        self.created.append((account_id, amount_cents, debtor))
        return {
            "notice_number": f"30202500000{len(self.created):05d}12",
            "creditor_fiscal_code": "01234567897",
            "amount_cents": amount_cents,
            "due_date": "2026-12-31",
        }

    async def checkout_url(self, notice_number: str) -> str:
        return f"https://checkout.example/{notice_number}"

    async def notice_account(self, notice_number: str) -> uuid.UUID | None:
        return None

    async def notice_pdf(self, notice_number: str) -> bytes:
        return b""


def family(uow: FakeAccountsUnitOfWork) -> uuid.UUID:
    account = uuid.uuid4()
    uow.families.holders[account] = HOLDER
    return account


async def test_the_notice_goes_to_the_app_io_when_the_parent_asks() -> None:
    uow, payments = FakeAccountsUnitOfWork(), Payments()
    account = family(uow)
    started = await request_top_up(uow, payments, account, 2500, online=False, send_to_io=True)

    [request] = uow.published
    assert isinstance(request, NotificationRequested)
    assert (request.template, request.account_ids, request.channels) == (Template.PAYMENT_NOTICE, [account], ["io"])
    assert request.params == {
        "notice_number": started.notice["notice_number"],
        "amount_cents": 2500,
        "due_date": "2026-12-31",
        "payee_fiscal_code": "01234567897",
    }
    assert payments.created == [(account, 2500, HOLDER)]


async def test_nothing_goes_to_io_unless_asked() -> None:
    uow, payments = FakeAccountsUnitOfWork(), Payments()
    started = await request_top_up(uow, payments, family(uow), 1000, online=True)
    assert uow.published == [] and started.checkout_url is not None


def test_a_notice_published_twice_is_one_request() -> None:
    """Its id derives from the notice number: notifications' delivery log keeps one message."""
    account = uuid.uuid4()

    def request_id(number: str) -> uuid.UUID:
        return notice_in_io(account, number, 1000, date(2026, 12, 31), "01234567897").request_id

    assert request_id("302025000000000112") == request_id("302025000000000112")
    assert request_id("302025000000000112") != request_id("302025000000000213")
