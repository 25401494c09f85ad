"""The accounts service's tables (SQLAlchemy Core); the migrations create them."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Identity,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.sql import text

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
    Column("io_opt_out", Boolean, nullable=False, server_default="false"),
    Column("balance_cents", BigInteger, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("iban", String(34)),
)

student = Table(
    "student",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("account_id", Uuid, ForeignKey("account.id"), nullable=False, index=True),
    Column("tax_code", String(16), nullable=False, unique=True),
    Column("first_name", String(100), nullable=False),
    Column("last_name", String(100), nullable=False),
    Column("seq", BigInteger, Identity(), nullable=False),
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
    Column("tariff_band", String(32)),
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
    Column("student_id", Uuid),
    Column("author", String(254)),
    Column("booked_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("price_row", String(80)),  # a meal: the tariff rows that priced it (domain.tariffs)
    Column("discount_row", String(40)),
    UniqueConstraint("source", "source_id", name="uq_ledger_entry_source"),
    Index("ix_ledger_entry_account_seq", "account_id", "seq"),
    Index("ix_ledger_entry_price_row", "price_row", postgresql_where=text("price_row IS NOT NULL")),
    Index("ix_ledger_entry_discount_row", "discount_row", postgresql_where=text("discount_row IS NOT NULL")),
)


app_user = Table(
    "app_user",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("email", String(254), unique=True),
    Column("tax_code", String(16), unique=True),  # the person, as SPID/CIE name them (parents)
    Column("display_name", String(200)),  # from the identity provider's claims at the last login
    Column("password_hash", String(200)),  # staff only
    Column("role", String(16), nullable=False),
    Column("account_id", Uuid, ForeignKey("account.id")),
    Column("active", Boolean, nullable=False, server_default="true"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("is_holder", Boolean, nullable=False, server_default="true"),
    CheckConstraint("role in ('parent', 'operator', 'manager', 'admin')", name="role"),
    CheckConstraint("role = 'parent' OR tax_code IS NOT NULL OR email IS NOT NULL", name="staff_identified"),
    CheckConstraint("(role = 'parent') = (account_id IS NOT NULL)", name="parent_account"),
    CheckConstraint("role <> 'parent' OR tax_code IS NOT NULL OR NOT active", name="parent_tax_code"),
    CheckConstraint("role <> 'parent' OR password_hash IS NULL", name="parent_no_password"),
)

user_session = Table(
    "user_session",
    metadata,
    Column("token_digest", String(64), primary_key=True),
    Column("user_id", Uuid, ForeignKey("app_user.id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Column("last_seen_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("method", String(16), nullable=False, server_default="password"),  # spid, cie, password
)

login_failure = Table(
    "login_failure",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("subject", String(300), nullable=False),
    Column("failed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_login_failure_subject_failed_at", "subject", "failed_at"),
)

tariff_band = Table(
    "tariff_band",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("school_year", String(9), primary_key=True),
    Column("name", String(100), nullable=False),
)

tariff_price = Table(
    "tariff_price",
    metadata,
    Column("band_id", String(32), primary_key=True),
    Column("school_year", String(9), primary_key=True),
    Column("effective_from", Date, primary_key=True),
    Column("meal_price_cents", BigInteger, nullable=False),
    ForeignKeyConstraint(
        ["band_id", "school_year"],
        ["tariff_band.id", "tariff_band.school_year"],
        name="fk_tariff_price_band_id_tariff_band",
    ),
    CheckConstraint("meal_price_cents >= 0", name="non_negative"),
)

idempotency_key = Table(
    "idempotency_key",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("scope", String(100), primary_key=True),
    Column("request_digest", String(64), nullable=False),
    Column("response", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

refund = Table(
    "refund",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("account_id", Uuid, ForeignKey("account.id"), nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("iban", String(34)),
    Column("reason", Text, nullable=False),
    Column("created_by", String(254), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("paid_at", DateTime(timezone=True)),
)

year_closing = Table(
    "year_closing",
    metadata,
    Column("school_year", String(9), primary_key=True),
    Column("account_id", Uuid, ForeignKey("account.id"), primary_key=True),
    Column("outcome", String(16), nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("closed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

year_closing_job = Table(  # one per school year: the closing's progress (handlers.close_school_year)
    "year_closing_job",
    metadata,
    Column("school_year", String(9), primary_key=True),
    Column("state", String(16), nullable=False),
    Column("total", Integer, nullable=False),
    Column("done", Integer, nullable=False, server_default="0"),
    Column("last_account_id", Uuid),
    Column("started_by", String(254), nullable=False),
    Column("started_by_user_id", Uuid),
    Column("started_by_role", String(16), nullable=False),
    Column("forced_because", Text),
    Column("started_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("finished_at", DateTime(timezone=True)),
    CheckConstraint("state in ('running', 'done')", name="state"),
)

cancelled_meal = Table(
    "cancelled_meal",
    metadata,
    Column("meal_id", Uuid, primary_key=True),
    Column("account_id", Uuid, nullable=False),
    Column("reason", Text, nullable=False),
    Column("cancelled_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

assistance_message = Table(
    "assistance_message",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("seq", BigInteger, Identity(), nullable=False, unique=True),
    Column("account_id", Uuid, ForeignKey("account.id"), nullable=False),
    Column("side", String(8), nullable=False),  # family, office
    Column("author", String(200), nullable=False),
    Column("author_user_id", Uuid),
    Column("body", Text, nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint("side in ('family', 'office')", name="side"),
    Index("ix_assistance_message_account_seq", "account_id", "seq"),
)

password_reset = Table(
    "password_reset",
    metadata,
    Column("token_digest", String(64), primary_key=True),
    Column("user_id", Uuid, ForeignKey("app_user.id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True)),
)

audit_entry = Table(  # append-only: a trigger refuses UPDATE, DELETE and TRUNCATE
    "audit_entry",
    metadata,
    Column("seq", BigInteger, Identity(), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("actor_id", Uuid),
    Column("actor_name", String(200), nullable=False),
    Column("actor_role", String(16), nullable=False),
    Column("action", String(40), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("account_id", Uuid),
    Column("before", JSONB),
    Column("after", JSONB),
    Column("reason", Text),
    Index("ix_audit_entry_account_id", "account_id", "seq"),
    Index("ix_audit_entry_at", "at"),
)

pending_adjustment = Table(
    "pending_adjustment",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("account_id", Uuid, ForeignKey("account.id"), nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("reason", Text, nullable=False),
    Column("requested_by_id", Uuid),
    Column("requested_by", String(200), nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("state", String(16), nullable=False, server_default="pending"),
    Column("decided_by_id", Uuid),
    Column("decided_by", String(200)),
    Column("decided_at", DateTime(timezone=True)),
    Column("entry_id", Uuid),
    CheckConstraint("state in ('pending', 'approved', 'rejected')", name="state"),
    Index("ix_pending_adjustment_state", "state", "requested_at"),
)

paper_voucher_form = Table(
    "paper_voucher_form",
    metadata,
    Column("entry_id", Uuid, primary_key=True),
    Column("form_number", String(40), nullable=False, unique=True),
    Column("account_id", Uuid, ForeignKey("account.id"), nullable=False),
    Column("student_id", Uuid, nullable=False),
    Column("count", Integer, nullable=False),
    Column("unit_cents", BigInteger, nullable=False),
    Column("received_on", Date, nullable=False),
    Column("received_by", String(200), nullable=False),
    Column("recorded_by", String(200), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

enrolment_change = Table(  # every enrolment, transfer and withdrawal, valid from a day
    "enrolment_change",
    metadata,
    Column("seq", BigInteger, Identity(), primary_key=True),
    Column("student_id", Uuid, ForeignKey("student.id"), nullable=False),
    Column("school_year", String(9), nullable=False),
    Column("effective_from", Date, nullable=False),
    Column("tariff_band", String(32)),
    Column("active", Boolean, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_enrolment_change_student_id", "student_id", "school_year"),
)

sibling_discount = Table(
    "sibling_discount",
    metadata,
    Column("school_year", String(9), primary_key=True),
    Column("effective_from", Date, primary_key=True),
    Column("percent", Integer, nullable=False),
    CheckConstraint("percent BETWEEN 0 AND 100", name="percent"),
)
