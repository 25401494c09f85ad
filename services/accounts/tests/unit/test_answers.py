"""The hot reads encode their JSON themselves (`api.answers`): the same bytes as the documented
pydantic models give."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

from accounts.api import answers
from accounts.api.schemas import AccountView, Amount, MovementPage, MovementView, StudentView
from accounts.handlers.read_models import AccountSummary, MovementLine, StudentLine
from accounts.handlers.read_models import MovementPage as Page


def summary(balance_cents: int | None) -> AccountSummary:
    students = [
        StudentLine(uuid.uuid4(), "Niccolò", "D'Amico", "2026/2027", "s1", "1A", True, None),
        StudentLine(uuid.uuid4(), "Zoë", "D'Amico", None, None, None, None, None),
    ]
    return AccountSummary(
        uuid.uuid4(),
        "RSSMRA80A01H501U",
        "Maria José",
        "Rossi",
        None,
        "+39 333",
        True,
        False,
        True,
        balance_cents,
        students,
    )


def test_an_account_is_encoded_as_its_view() -> None:
    for balance in (-123_456, 0, None):
        found = summary(balance)
        view = AccountView(
            account_id=found.account_id,
            holder_first_name=found.holder_first_name,
            holder_last_name=found.holder_last_name,
            email=found.email,
            phone=found.phone,
            email_opt_out=found.email_opt_out,
            sms_opt_out=found.sms_opt_out,
            io_opt_out=found.io_opt_out,
            balance=None if balance is None else Amount.of(balance),
            students=[StudentView.model_validate(s, from_attributes=True) for s in found.students],
        )
        assert answers.account(found).body == view.model_dump_json().encode()


def test_a_page_of_movements_is_encoded_as_its_view() -> None:
    rome = timezone(timedelta(hours=1))
    lines = [
        MovementLine(uuid.uuid4(), "meal", -550, 1_000_000, "Pasto del 2 dicembre – Niccolò", datetime.now(UTC)),
        MovementLine(uuid.uuid4(), "top_up", 2_000, None, "Ricarica", datetime(2026, 12, 1, 8, 30, tzinfo=rome)),
    ]
    items = [
        MovementView(
            entry_id=m.entry_id,
            cause=m.cause,
            amount=Amount.of(m.amount_cents),
            balance_after=None if m.balance_after_cents is None else Amount.of(m.balance_after_cents),
            description=m.description,
            booked_at=m.booked_at,
        )
        for m in lines
    ]
    view = MovementPage(total=61, limit=2, offset=3, items=items)
    assert answers.movements(Page(61, lines), 2, 3).body == view.model_dump_json().encode()
