"""Contact book; outbox and inbox.

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
        "contact",
        sa.Column("account_id", sa.Uuid, primary_key=True),
        sa.Column("email", sa.String(254)),
        sa.Column("phone", sa.String(32)),
        sa.Column("email_opt_out", sa.Boolean, nullable=False),
        sa.Column("sms_opt_out", sa.Boolean, nullable=False),
        sa.Column("locale", sa.String(8), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def downgrade() -> None:
    op.drop_table("contact")
    drop_messaging_tables()
