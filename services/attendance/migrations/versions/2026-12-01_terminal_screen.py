"""The terminal's screen: tablets paired with a short code, children's first names and initials,
each tap of the screen (last write per child wins), classes' registers, changes by their key,
and the reason of a day closed after the fact.

Revision ID: 0201
Revises: 0004
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0201"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("roster", sa.Column("first_name", sa.String(100), nullable=False, server_default=""))
    op.add_column("roster", sa.Column("surname_initial", sa.String(1), nullable=False, server_default=""))
    op.add_column("terminal", sa.Column("label", sa.String(100), nullable=False, server_default=""))
    op.add_column("terminal", sa.Column("pairing_digest", sa.String(64)))
    op.add_column("terminal", sa.Column("pairing_expires_at", sa.DateTime(timezone=True)))
    op.add_column("terminal", sa.Column("paired_at", sa.DateTime(timezone=True)))
    op.create_index("ix_terminal_pairing_digest", "terminal", ["pairing_digest"], unique=True)
    op.add_column("day_close", sa.Column("reason", sa.String(300)))
    op.create_table(
        "attendance_mark",
        sa.Column("service_date", sa.Date, primary_key=True),
        sa.Column("student_id", sa.Uuid, primary_key=True),
        sa.Column("school_id", sa.String(64), nullable=False),
        sa.Column("class_id", sa.String(64), nullable=False),
        sa.Column("absent", sa.Boolean, nullable=False),
        sa.Column("tapped_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("marked_by", sa.String(100), nullable=False),
    )
    op.create_table(
        "class_register",
        sa.Column("school_id", sa.String(64), primary_key=True),
        sa.Column("service_date", sa.Date, primary_key=True),
        sa.Column("class_id", sa.String(64), primary_key=True),
        sa.Column("taken_by", sa.String(100), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    # The classes posted through the API before this migration had their register taken.
    op.execute(
        """
        INSERT INTO class_register (school_id, service_date, class_id, taken_by, taken_at)
        SELECT DISTINCT ON (school_id, service_date, class_id) school_id, service_date, class_id, posted_by, posted_at
        FROM absence_post ORDER BY school_id, service_date, class_id, posted_at
        """
    )
    op.create_table(
        "terminal_change",
        sa.Column("change_id", sa.Uuid, primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("sent_by", sa.String(100), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def downgrade() -> None:
    op.drop_table("terminal_change")
    op.drop_table("class_register")
    op.drop_table("attendance_mark")
    op.drop_column("day_close", "reason")
    op.drop_index("ix_terminal_pairing_digest", "terminal")
    for column in ("paired_at", "pairing_expires_at", "pairing_digest", "label"):
        op.drop_column("terminal", column)
    op.drop_column("roster", "surname_initial")
    op.drop_column("roster", "first_name")
