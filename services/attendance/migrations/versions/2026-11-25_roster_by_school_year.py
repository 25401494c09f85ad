"""The roster keeps one enrolment per student and school year: next year's enrolment, sent
before the summer, does not take the child out of this year's closes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_constraint("roster_pkey", "roster", type_="primary")
    op.create_primary_key("roster_pkey", "roster", ["student_id", "school_year"])
    op.execute("ALTER INDEX ix_roster_student_school_year RENAME TO ix_roster_school_year")


def downgrade() -> None:
    # One row per student again: the most recently updated enrolment of each student stays.
    op.execute(
        """
        DELETE FROM roster r USING roster newer
        WHERE r.student_id = newer.student_id
          AND (newer.updated_at, newer.school_year) > (r.updated_at, r.school_year)
        """
    )
    op.execute("ALTER INDEX ix_roster_school_year RENAME TO ix_roster_student_school_year")
    op.drop_constraint("roster_pkey", "roster", type_="primary")
    op.create_primary_key("roster_pkey", "roster", ["student_id"])
