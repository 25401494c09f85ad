"""The hot reads' JSON, encoded once by pydantic's own serializer (`to_json`) from the read
models: the same bytes as `AccountView` and `MovementPage` would give (the tests compare them),
without building a model per movement and validating it again."""

from __future__ import annotations

import functools
from typing import Any

from fastapi import Response
from pydantic_core import to_json

from accounts.handlers.read_models import AccountSummary, MovementLine, MovementPage
from shared.money import format_euro


def account(found: AccountSummary) -> Response:
    return _json(account_body(found))


def movements(page: MovementPage, limit: int, offset: int) -> Response:
    return _json(movements_body(page, limit, offset))


def account_body(found: AccountSummary) -> dict[str, Any]:
    """An `AccountView`'s fields, in its order (a `StudentLine` has a `StudentView`'s)."""
    return {
        "account_id": found.account_id,
        "holder_first_name": found.holder_first_name,
        "holder_last_name": found.holder_last_name,
        "email": found.email,
        "phone": found.phone,
        "email_opt_out": found.email_opt_out,
        "sms_opt_out": found.sms_opt_out,
        "io_opt_out": found.io_opt_out,
        "balance": _amount(found.balance_cents),
        "students": found.students,
    }


def movements_body(page: MovementPage, limit: int, offset: int) -> dict[str, Any]:
    """A `MovementPage`'s (the schema's) fields, in its order."""
    return {"total": page.total, "limit": limit, "offset": offset, "items": [_movement(m) for m in page.lines]}


def _movement(line: MovementLine) -> dict[str, Any]:
    return {
        "entry_id": line.entry_id,
        "cause": line.cause,
        "amount": _amount(line.amount_cents),
        "balance_after": _amount(line.balance_after_cents),
        "description": line.description,
        "booked_at": line.booked_at,
    }


def _amount(cents: int | None) -> dict[str, Any] | None:
    return None if cents is None else {"cents": cents, "display": _display(cents)}


# A page shows two amounts per movement, and the same ones again and again (a meal's price).
_display = functools.lru_cache(maxsize=4096)(format_euro)


def _json(body: dict[str, Any]) -> Response:
    return Response(to_json(body), media_type="application/json")
