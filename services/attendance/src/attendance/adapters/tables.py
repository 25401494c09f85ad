"""The attendance service's tables (SQLAlchemy Core); the migrations create them."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    String,
    Table,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY

from shared.db import make_metadata

metadata = make_metadata()

roster = Table(
    "roster",
    metadata,
    Column("student_id", Uuid, primary_key=True),
    Column("account_id", Uuid, nullable=False),
    Column("school_id", String(64), nullable=False),
    Column("class_id", String(64), nullable=False),
    Column("diet", String(64), nullable=False),
    Column("school_year", String(9), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

terminal = Table(
    "terminal",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("school_id", String(64), nullable=False),
    Column("secret_digest", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("revoked_at", DateTime(timezone=True)),
)

absence_post = Table(
    "absence_post",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("school_id", String(64), nullable=False),
    Column("class_id", String(64), nullable=False),
    Column("service_date", Date, nullable=False),
    Column("absent_student_ids", ARRAY(Uuid), nullable=False),
    Column("posted_by", String(100), nullable=False),
    Column("posted_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

absence = Table(
    "absence",
    metadata,
    Column("service_date", Date, primary_key=True),
    Column("student_id", Uuid, primary_key=True),
    Column("school_id", String(64), nullable=False),
    Column("class_id", String(64), nullable=False),
)

day_close = Table(
    "day_close",
    metadata,
    Column("school_id", String(64), primary_key=True),
    Column("service_date", Date, primary_key=True),
    Column("closed_by", String(100), nullable=False),
    Column("closed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("meals", Integer, nullable=False, server_default="0"),
)
