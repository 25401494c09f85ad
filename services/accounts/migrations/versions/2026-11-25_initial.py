"""Families, students, enrolments, the ledger; outbox and inbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from shared.migrations import create_messaging_tables, drop_messaging_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables()
    op.create_table(
        "account",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("holder_tax_code", sa.String(16), nullable=False),
        sa.Column("holder_first_name", sa.String(100), nullable=False),
        sa.Column("holder_last_name", sa.String(100), nullable=False),
        sa.Column("email", sa.String(254)),
        sa.Column("phone", sa.String(32)),
        sa.Column("email_opt_out", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("sms_opt_out", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("balance_cents", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.UniqueConstraint("holder_tax_code", name="uq_account_holder_tax_code"),
    )
    op.create_table(
        "student",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column(
            "account_id", sa.Uuid, sa.ForeignKey("account.id", name="fk_student_account_id_account"), nullable=False
        ),
        sa.Column("tax_code", sa.String(16), nullable=False),
        sa.Column("first_name", sa.String(100), nullable=False),
        sa.Column("last_name", sa.String(100), nullable=False),
        sa.UniqueConstraint("tax_code", name="uq_student_tax_code"),
    )
    op.create_index("ix_student_account_id", "student", ["account_id"])
    op.create_table(
        "enrolment",
        sa.Column(
            "student_id", sa.Uuid, sa.ForeignKey("student.id", name="fk_enrolment_student_id_student"), primary_key=True
        ),
        sa.Column("school_year", sa.String(9), primary_key=True),
        sa.Column("school_id", sa.String(64), nullable=False),
        sa.Column("class_id", sa.String(64), nullable=False),
        sa.Column("diet", sa.String(64), nullable=False, server_default="standard"),
        sa.Column("active", sa.Boolean, nullable=False, server_default="true"),
    )
    op.create_table(
        "ledger_entry",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("seq", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column(
            "account_id",
            sa.Uuid,
            sa.ForeignKey("account.id", name="fk_ledger_entry_account_id_account"),
            nullable=False,
        ),
        sa.Column("cause", sa.String(32), nullable=False),
        sa.Column("amount_cents", sa.BigInteger, nullable=False),
        sa.Column("balance_after_cents", sa.BigInteger, nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("source_id", sa.String(128), nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.UniqueConstraint("seq", name="uq_ledger_entry_seq"),
        sa.UniqueConstraint("source", "source_id", name="uq_ledger_entry_source"),
    )
    op.create_index("ix_ledger_entry_account_seq", "ledger_entry", ["account_id", "seq"])
    # Append-only: the database itself refuses to change or remove a movement.
    op.execute("""
        CREATE FUNCTION ledger_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'ledger entries are append-only'; END $$
    """)
    op.execute("""
        CREATE TRIGGER ledger_entry_append_only BEFORE UPDATE OR DELETE ON ledger_entry
        FOR EACH ROW EXECUTE FUNCTION ledger_entry_append_only();
    """)


def downgrade() -> None:
    op.execute("DROP TRIGGER ledger_entry_append_only ON ledger_entry")
    op.execute("DROP FUNCTION ledger_entry_append_only()")
    op.drop_table("ledger_entry")
    op.drop_table("enrolment")
    op.drop_table("student")
    op.drop_table("account")
    drop_messaging_tables()
