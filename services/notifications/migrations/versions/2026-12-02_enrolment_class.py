"""The class in the enrolment projection: the office writes to one class of a school.

The rows already there have no class (the projection did not keep it): a class's audience finds
them from the next `student-enrolled` of each student on.

Revision ID: 0601
Revises: 0005
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0601"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("enrolment", sa.Column("class_id", sa.String(32)))


def downgrade() -> None:
    op.drop_column("enrolment", "class_id")
