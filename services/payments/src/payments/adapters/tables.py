"""The payments service's tables (SQLAlchemy Core); the migrations create them."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, String, Table, Uuid, func

from shared.db import make_metadata

metadata = make_metadata()

receipt = Table(
    "receipt",
    metadata,
    Column("receipt_id", String(64), primary_key=True),
    Column("payment_id", Uuid, nullable=False, unique=True),
    Column("account_id", Uuid, nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("notice_number", String(18), nullable=False),
    Column("iuv", String(35), nullable=False),
    Column("psp", String(64), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("paid_at", DateTime(timezone=True), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
