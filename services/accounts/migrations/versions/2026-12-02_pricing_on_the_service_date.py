"""Meals priced as things stood on their service date, and tariff rows fixed once used (issue 13,
finding 9).

- `enrolment_change`: every enrolment, transfer and withdrawal, valid from a day (the current
  state stays in `enrolment`); existing enrolments become each child's first change, valid from
  the start of their school year.
- `sibling_discount`: the sibling discount of a school year, valid from a day (none: the
  `ACCOUNTS_SIBLING_DISCOUNT_PERCENT` setting).
- `ledger_entry.price_row` / `discount_row`: the tariff rows that priced a meal, so that a row
  that priced one is never changed (partial indexes: only meals with a band or a discount).

Revision ID: 0102
Revises: 0101
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0102"
down_revision = "0101"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "enrolment_change",
        sa.Column("seq", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column(
            "student_id",
            sa.Uuid,
            sa.ForeignKey("student.id", name="fk_enrolment_change_student_id_student"),
            nullable=False,
        ),
        sa.Column("school_year", sa.String(9), nullable=False),
        sa.Column("effective_from", sa.Date, nullable=False),
        sa.Column("tariff_band", sa.String(32)),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_enrolment_change_student_id", "enrolment_change", ["student_id", "school_year"])
    op.execute("""
        INSERT INTO enrolment_change (student_id, school_year, effective_from, tariff_band, active)
        SELECT student_id, school_year, make_date(split_part(school_year, '/', 1)::int, 9, 1), tariff_band, active
        FROM enrolment ORDER BY student_id, school_year
    """)
    op.create_table(
        "sibling_discount",
        sa.Column("school_year", sa.String(9), primary_key=True),
        sa.Column("effective_from", sa.Date, primary_key=True),
        sa.Column("percent", sa.Integer, nullable=False),
        sa.CheckConstraint("percent BETWEEN 0 AND 100", name="ck_sibling_discount_percent"),
    )
    op.add_column("ledger_entry", sa.Column("price_row", sa.String(80)))
    op.add_column("ledger_entry", sa.Column("discount_row", sa.String(40)))
    op.create_index(
        "ix_ledger_entry_price_row", "ledger_entry", ["price_row"], postgresql_where=sa.text("price_row IS NOT NULL")
    )
    op.create_index(
        "ix_ledger_entry_discount_row",
        "ledger_entry",
        ["discount_row"],
        postgresql_where=sa.text("discount_row IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_ledger_entry_discount_row", "ledger_entry")
    op.drop_index("ix_ledger_entry_price_row", "ledger_entry")
    op.drop_column("ledger_entry", "discount_row")
    op.drop_column("ledger_entry", "price_row")
    op.drop_table("sibling_discount")
    op.drop_table("enrolment_change")
