"""The notifications service's tables (SQLAlchemy Core); the migrations create them."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

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
    # The holder's fiscal code: the family's address in the app IO (none from a v1 change).
    Column("holder_tax_code", String(16)),
    Column("io_opt_out", Boolean, nullable=False, server_default="false"),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# The projection of `student-enrolled`: who has children in which school in which school year
# (broadcast audiences, by school or class: next year's enrolment, entered in June, leaves this
# year's in place) and the family's surname for the greeting.
enrolment = Table(
    "enrolment",
    metadata,
    Column("student_id", Uuid, primary_key=True),
    Column("school_year", String(9), primary_key=True),
    Column("account_id", Uuid, nullable=False, index=True),
    Column("school_id", String(64), nullable=False),
    Column("class_id", String(32)),  # none on rows projected before the office wrote to classes
    Column("last_name", String(100), nullable=False),
    Column("active", Boolean, nullable=False),
    Index("ix_enrolment_school_active", "school_id", postgresql_where=text("active")),
)

# The projection of `balance-changed`: the last balance and since when it is negative (reminders).
balance = Table(
    "balance",
    metadata,
    Column("account_id", Uuid, primary_key=True),
    Column("balance_cents", BigInteger, nullable=False),
    Column("negative_since", DateTime(timezone=True)),
    Index("ix_balance_negative_since", "negative_since", postgresql_where=text("negative_since IS NOT NULL")),
)

# The delivery log: one row per message (cause, channel, family), whatever became of it.
delivery = Table(
    "delivery",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("account_id", Uuid, nullable=False),
    Column("rule", String(32), nullable=False),
    Column("cause_id", String(200), nullable=False),
    Column("event_id", Uuid),
    Column("channel", String(8), nullable=False),
    Column("params", JSONB, nullable=False),
    Column("recipient", String(254)),
    Column("state", String(24), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text),
    Column("not_before", DateTime(timezone=True)),
    Column("sending_at", DateTime(timezone=True)),
    Column("sent_at", DateTime(timezone=True)),
    Column("provider_id", String(100)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("rule", "cause_id", "channel", "account_id", name="uq_delivery_cause"),
    Index("ix_delivery_account", "account_id", "id"),
    Index("ix_delivery_waiting", "id", postgresql_where=text("state IN ('queued', 'deferred_quiet_hours', 'sending')")),
)
