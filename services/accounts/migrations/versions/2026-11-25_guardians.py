"""A parent login is the holder's, or a guardian's (who may pay but does not see debts).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("app_user", sa.Column("is_holder", sa.Boolean, nullable=False, server_default="true"))


def downgrade() -> None:
    op.drop_column("app_user", "is_holder")
