"""The enrolment projection keyed by student and school year: next year's enrolment, entered in
June, no longer replaces this year's (which kept the family in the school's broadcasts).

The rows already there were each student's latest enrolment, whose year the projection did not
keep: they are taken as the school year of the day of the upgrade, and the next `student-enrolled`
of each student puts its own year beside them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BACKFILL = """
    UPDATE enrolment SET school_year =
    CASE WHEN extract(month FROM now() AT TIME ZONE 'Europe/Rome') >= 9
         THEN to_char(now() AT TIME ZONE 'Europe/Rome', 'YYYY') || '/' ||
              (extract(year FROM now() AT TIME ZONE 'Europe/Rome')::int + 1)::text
         ELSE (extract(year FROM now() AT TIME ZONE 'Europe/Rome')::int - 1)::text || '/' ||
              to_char(now() AT TIME ZONE 'Europe/Rome', 'YYYY')
    END
"""


def upgrade() -> None:
    op.add_column("enrolment", sa.Column("school_year", sa.String(9), nullable=True))
    op.execute(BACKFILL)
    op.alter_column("enrolment", "school_year", nullable=False)
    op.drop_constraint("enrolment_pkey", "enrolment", type_="primary")
    op.create_primary_key("enrolment_pkey", "enrolment", ["student_id", "school_year"])


def downgrade() -> None:
    op.execute(
        "DELETE FROM enrolment e USING enrolment newer "
        "WHERE e.student_id = newer.student_id AND e.school_year < newer.school_year"
    )
    op.drop_constraint("enrolment_pkey", "enrolment", type_="primary")
    op.create_primary_key("enrolment_pkey", "enrolment", ["student_id"])
    op.drop_column("enrolment", "school_year")
