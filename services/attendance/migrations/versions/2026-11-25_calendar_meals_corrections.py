"""School calendars and closures, parent announcements, charged meals and corrections.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "school",
        sa.Column("school_id", sa.String(64), primary_key=True),
        sa.Column("service_weekdays", postgresql.ARRAY(sa.SmallInteger), nullable=False),
        sa.Column("cutoff", sa.Time, nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "closure",
        sa.Column("school_id", sa.String(64), primary_key=True),
        sa.Column("service_date", sa.Date, primary_key=True),
        # "" closes the whole school; a class id closes that class only.
        sa.Column("class_id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(300), nullable=False),
        sa.Column("declared_by", sa.String(100), nullable=False),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "absence_announcement",
        sa.Column("student_id", sa.Uuid, primary_key=True),
        sa.Column("service_date", sa.Date, primary_key=True),
        sa.Column("school_id", sa.String(64), nullable=False),
        sa.Column("class_id", sa.String(64), nullable=False),
        sa.Column("announced_by", sa.String(100), nullable=False),
        sa.Column("announced_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_absence_announcement_school_date", "absence_announcement", ["school_id", "service_date"])
    op.create_table(
        "meal",
        sa.Column("meal_id", sa.Uuid, primary_key=True),
        sa.Column("student_id", sa.Uuid, nullable=False),
        sa.Column("account_id", sa.Uuid, nullable=False),
        sa.Column("school_id", sa.String(64), nullable=False),
        sa.Column("class_id", sa.String(64), nullable=False),
        sa.Column("diet", sa.String(64), nullable=False),
        sa.Column("service_date", sa.Date, nullable=False),
        sa.Column("meal_type", sa.String(20), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True)),
        sa.Column("cancel_reason", sa.String(300)),
    )
    op.create_index("ix_meal_school_date", "meal", ["school_id", "service_date"])
    op.create_index("ix_meal_student_date", "meal", ["student_id", "service_date"])
    op.create_table(
        "correction",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("school_id", sa.String(64), nullable=False),
        sa.Column("student_id", sa.Uuid, nullable=False),
        sa.Column("service_date", sa.Date, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(300), nullable=False),
        sa.Column("effect", sa.String(20), nullable=False),
        sa.Column("corrected_by", sa.String(100), nullable=False),
        sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_correction_student_date", "correction", ["student_id", "service_date"])
    op.create_index("ix_roster_student_school_year", "roster", ["school_id", "school_year"])


def downgrade() -> None:
    op.drop_index("ix_roster_student_school_year", table_name="roster")
    for table in ("correction", "meal", "absence_announcement", "closure", "school"):
        op.drop_table(table)
