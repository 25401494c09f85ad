"""Roster, terminals, absences and day closes; outbox and inbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.migrations import create_messaging_tables, drop_messaging_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables()
    op.create_table(
        "roster",
        sa.Column("student_id", sa.Uuid, primary_key=True),
        sa.Column("account_id", sa.Uuid, nullable=False),
        sa.Column("school_id", sa.String(64), nullable=False),
        sa.Column("class_id", sa.String(64), nullable=False),
        sa.Column("diet", sa.String(64), nullable=False),
        sa.Column("school_year", sa.String(9), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_roster_school_class", "roster", ["school_id", "class_id"])
    op.create_table(
        "terminal",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("school_id", sa.String(64), nullable=False),
        sa.Column("secret_digest", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "absence_post",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("school_id", sa.String(64), nullable=False),
        sa.Column("class_id", sa.String(64), nullable=False),
        sa.Column("service_date", sa.Date, nullable=False),
        sa.Column("absent_student_ids", postgresql.ARRAY(sa.Uuid), nullable=False),
        sa.Column("posted_by", sa.String(100), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "absence",
        sa.Column("service_date", sa.Date, primary_key=True),
        sa.Column("student_id", sa.Uuid, primary_key=True),
        sa.Column("school_id", sa.String(64), nullable=False),
        sa.Column("class_id", sa.String(64), nullable=False),
    )
    op.create_index("ix_absence_school_date", "absence", ["school_id", "service_date"])
    op.create_table(
        "day_close",
        sa.Column("school_id", sa.String(64), primary_key=True),
        sa.Column("service_date", sa.Date, primary_key=True),
        sa.Column("closed_by", sa.String(100), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("meals", sa.Integer, nullable=False, server_default="0"),
    )


def downgrade() -> None:
    for table in ("day_close", "absence", "absence_post", "terminal", "roster"):
        op.drop_table(table)
    drop_messaging_tables()
