"""The notifications service's tables (SQLAlchemy Core); the migrations create them."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, String, Table, Uuid, func

from shared.db import make_metadata

metadata = make_metadata()

contact = Table(
    "contact",
    metadata,
    Column("account_id", Uuid, primary_key=True),
    Column("email", String(254)),
    Column("phone", String(32)),
    Column("email_opt_out", Boolean, nullable=False),
    Column("sms_opt_out", Boolean, nullable=False),
    Column("locale", String(8), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
