"""The ledger's invariant, checked: every stored balance equals the sum of its movements.

`python -m accounts.check_ledger` prints the accounts that break it and exits 1 if any.
"""

from __future__ import annotations

from accounts.handlers.ports import AccountsUnitOfWork
from accounts.handlers.read_models import LedgerCheck


async def check_ledger(uow: AccountsUnitOfWork) -> LedgerCheck:
    async with uow:
        return LedgerCheck(await uow.views.account_count(), await uow.views.unbalanced())
