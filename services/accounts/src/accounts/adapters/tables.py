"""The accounts service's tables (SQLAlchemy Core); the migrations create them."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Identity,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    func,
)

from shared.db import make_metadata

metadata = make_metadata()

account = Table(
    "account",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("holder_tax_code", String(16), nullable=False, unique=True),
    Column("holder_first_name", String(100), nullable=False),
    Column("holder_last_name", String(100), nullable=False),
    Column("email", String(254)),
    Column("phone", String(32)),
    Column("email_opt_out", Boolean, nullable=False, server_default="false"),
    Column("sms_opt_out", Boolean, nullable=False, server_default="false"),
    Column("balance_cents", BigInteger, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

student = Table(
    "student",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("account_id", Uuid, ForeignKey("account.id"), nullable=False, index=True),
    Column("tax_code", String(16), nullable=False, unique=True),
    Column("first_name", String(100), nullable=False),
    Column("last_name", String(100), nullable=False),
)

enrolment = Table(
    "enrolment",
    metadata,
    Column("student_id", Uuid, ForeignKey("student.id"), primary_key=True),
    Column("school_year", String(9), primary_key=True),
    Column("school_id", String(64), nullable=False),
    Column("class_id", String(64), nullable=False),
    Column("diet", String(64), nullable=False, server_default="standard"),
    Column("active", Boolean, nullable=False, server_default="true"),
)

ledger_entry = Table(
    "ledger_entry",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("seq", BigInteger, Identity(), nullable=False, unique=True),
    Column("account_id", Uuid, ForeignKey("account.id"), nullable=False),
    Column("cause", String(32), nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("balance_after_cents", BigInteger, nullable=False),
    Column("source", String(32), nullable=False),
    Column("source_id", String(128), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("booked_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("source", "source_id", name="uq_ledger_entry_source"),
)
