"""The reference of `gateway_reads.py`: a bare FastAPI + asyncpg app reading the same rows.

No authentication, no middleware, no layers: one pooled asyncpg query per request, the row
returned as JSON. It is what FastAPI and PostgreSQL cost on this machine; the gateway's figures
are ratios against it.

    BARE_DATABASE_URL=postgresql://... .venv/bin/python bench/bare_app.py PORT
"""

from __future__ import annotations

import contextlib
import os
import sys
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import uvicorn
from fastapi import FastAPI, Request


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.pool = await asyncpg.create_pool(os.environ["BARE_DATABASE_URL"], min_size=2, max_size=10)
    yield
    await app.state.pool.close()


app = FastAPI(lifespan=lifespan)

ACCOUNT = "SELECT id, holder_first_name, holder_last_name, email, phone, balance_cents FROM account WHERE id = $1"
MOVEMENTS = (
    "SELECT id, cause, amount_cents, balance_after_cents, description, booked_at FROM ledger_entry"
    " WHERE account_id = $1 ORDER BY seq DESC LIMIT 50"
)


@app.get("/ready")
async def ready() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/accounts/{account_id}")
async def account(account_id: uuid.UUID, request: Request) -> dict[str, Any]:
    row = await request.app.state.pool.fetchrow(ACCOUNT, account_id)
    return dict(row)


@app.get("/accounts/{account_id}/movements")
async def movements(account_id: uuid.UUID, request: Request) -> list[dict[str, Any]]:
    rows = await request.app.state.pool.fetch(MOVEMENTS, account_id)
    return [dict(r) for r in rows]


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
