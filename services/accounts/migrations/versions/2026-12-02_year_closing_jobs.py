"""The school year's closing as a job recorded in the database (issue 10, screen 7): who started
it (and why, if forced before the year's end), how far it got (`done` of `total` accounts, and the
last account closed: the batches go in account order), and whether it is over. One job per year:
a background task of the service closes its accounts in batches, each batch one transaction that
also moves the job on, so that a process killed mid-way resumes where the last commit left it.

Revision ID: 0501
Revises: 0102
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0501"
down_revision = "0102"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "year_closing_job",
        sa.Column("school_year", sa.String(9), primary_key=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("done", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_account_id", sa.Uuid),
        sa.Column("started_by", sa.String(254), nullable=False),
        sa.Column("started_by_user_id", sa.Uuid),
        sa.Column("started_by_role", sa.String(16), nullable=False),
        sa.Column("forced_because", sa.Text),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("state in ('running', 'done')", name="ck_year_closing_job_state"),
    )


def downgrade() -> None:
    op.drop_table("year_closing_job")
