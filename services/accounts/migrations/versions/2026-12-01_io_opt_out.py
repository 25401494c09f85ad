"""The family's refusal of messages in the app IO, beside those of email and SMS.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("account", sa.Column("io_opt_out", sa.Boolean, nullable=False, server_default="false"))


def downgrade() -> None:
    op.drop_column("account", "io_opt_out")
