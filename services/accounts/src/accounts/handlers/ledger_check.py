"""The ledger's invariant, checked: every stored balance equals the sum of its movements.

`python -m accounts.handlers.ledger_check` prints the accounts that break it and exits 1 if any.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters.tables import account, ledger_entry
from accounts.config import AccountsSettings
from shared.db import make_engine


async def unbalanced_accounts(conn: AsyncConnection) -> list[dict[str, Any]]:
    sums = (
        select(ledger_entry.c.account_id, func.sum(ledger_entry.c.amount_cents).label("total"))
        .group_by(ledger_entry.c.account_id)
        .subquery()
    )
    rows = await conn.execute(
        select(account.c.id, account.c.balance_cents, func.coalesce(sums.c.total, 0).label("movements_cents"))
        .join(sums, sums.c.account_id == account.c.id, isouter=True)
        .where(account.c.balance_cents != func.coalesce(sums.c.total, 0))
    )
    return [r._asdict() for r in rows]


async def main() -> int:
    engine = make_engine(AccountsSettings().database_url)
    try:
        async with engine.connect() as conn:
            broken = await unbalanced_accounts(conn)
            checked = await conn.scalar(select(func.count()).select_from(account))
    finally:
        await engine.dispose()
    for row in broken:
        print(f"account {row['id']}: balance {row['balance_cents']} != movements {row['movements_cents']}")
    print(f"{checked} accounts checked, {len(broken)} unbalanced")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
