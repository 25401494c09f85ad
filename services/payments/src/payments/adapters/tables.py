"""The payments service's tables (SQLAlchemy Core); the migrations create them, and a test
(`tests/integration/test_schema.py`) keeps the two in agreement. The constraints the migrations
named PostgreSQL's way keep those names (`conv`: no naming convention applied).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    Sequence,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    false,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.sql.elements import conv

from shared.db import make_metadata

metadata = make_metadata()

notice_base_seq = Sequence("notice_base_seq", metadata=metadata)

payment_notice = Table(
    "payment_notice",
    metadata,
    Column("notice_number", String(18), primary_key=True),
    Column("iuv", String(35), nullable=False),
    Column("creditor_fiscal_code", String(11), nullable=False),
    Column("account_id", Uuid, nullable=False, index=True),
    Column("amount_cents", BigInteger, nullable=False),
    Column("debtor_tax_code", String(16), nullable=False),
    Column("debtor_name", String(70), nullable=False),
    Column("description", String(140), nullable=False),
    Column("due_date", Date, nullable=False),
    Column("state", String(16), nullable=False),
    Column("receipt_id", String(64), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("closed_at", DateTime(timezone=True), nullable=True),
    Column("activated_at", DateTime(timezone=True), nullable=True),
    Column("checkout_started_at", DateTime(timezone=True), nullable=True),  # paid online, if paid
    UniqueConstraint("iuv", name=conv("payment_notice_iuv_key")),
    CheckConstraint("amount_cents > 0", name=conv("positive_amount")),
)

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
    Column("channel", String(35), nullable=False),
    Column("paid_at", DateTime(timezone=True), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now(), index=True),
    Column("creditor_fiscal_code", String(11), nullable=True),
    Column("stand_in", Boolean, nullable=False, server_default=false()),
    UniqueConstraint("creditor_fiscal_code", "iuv", name=conv("uq_receipt_creditor_fiscal_code")),
)

# A receipt that was kept but not credited: the office settles it (credit, refund or dismiss).
receipt_anomaly = Table(
    "receipt_anomaly",
    metadata,
    Column("receipt_id", String(64), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("creditor_fiscal_code", String(11), nullable=False),
    Column("iuv", String(35), nullable=False),
    Column("notice_number", String(18), nullable=False),
    Column("account_id", Uuid, nullable=True),
    Column("amount_cents", BigInteger, nullable=False),
    Column("expected_cents", BigInteger, nullable=True),
    Column("psp", String(64), nullable=False),
    Column("stand_in", Boolean, nullable=False),
    Column("paid_at", DateTime(timezone=True), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("resolved_at", DateTime(timezone=True), nullable=True),
    Column("channel", String(35), nullable=True),
    Column("resolved_by", String(100), nullable=True),  # the person, as `shared.acting` names them
    Column("outcome", String(16), nullable=True),  # domain.anomalies.Resolution
    Column("resolution_reason", String(300), nullable=True),
)

# What ACA must learn about a notice, queued in the notice's own transaction (see
# `handlers/register_in_aca.py`): one row per change, in id order, with how its sending went.
aca_change = Table(
    "aca_change",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("notice_number", String(18), nullable=False),
    Column("change", String(16), nullable=False),
    Column("position", JSONB, nullable=False),
    Column("state", String(16), nullable=False, server_default="pending"),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("queued_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("answer", Text, nullable=True),
    Column("answered_at", DateTime(timezone=True), nullable=True),
    Index("ix_aca_change_notice_number", "notice_number", "id"),
    Index("ix_aca_change_unsettled", "notice_number", postgresql_where=text("state IN ('pending', 'failed')")),
)
