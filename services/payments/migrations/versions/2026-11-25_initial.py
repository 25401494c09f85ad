"""Receipts; outbox and inbox.

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
        "receipt",
        sa.Column("receipt_id", sa.String(64), primary_key=True),
        sa.Column("payment_id", sa.Uuid, nullable=False),
        sa.Column("account_id", sa.Uuid, nullable=False),
        sa.Column("amount_cents", sa.BigInteger, nullable=False),
        sa.Column("notice_number", sa.String(18), nullable=False),
        sa.Column("iuv", sa.String(35), nullable=False),
        sa.Column("psp", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.UniqueConstraint("payment_id", name="uq_receipt_payment_id"),
    )


def downgrade() -> None:
    op.drop_table("receipt")
    drop_messaging_tables()
