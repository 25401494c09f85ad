"""Receipt anomalies resolved by the office: when, by whom, how (credit, refund, dismiss), why;
and the receipt's channel, which a credit passes on like any payment's. When a notice's online
payment started on pagoPA Checkout (the dashboard's top-ups online or at a counter).

Revision ID: 0701
Revises: 0004
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0701"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("payment_notice", sa.Column("checkout_started_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("receipt_anomaly", sa.Column("channel", sa.String(35), nullable=True))
    op.add_column("receipt_anomaly", sa.Column("resolved_by", sa.String(100), nullable=True))
    op.add_column("receipt_anomaly", sa.Column("outcome", sa.String(16), nullable=True))
    op.add_column("receipt_anomaly", sa.Column("resolution_reason", sa.String(300), nullable=True))


def downgrade() -> None:
    for column in ("resolution_reason", "outcome", "resolved_by", "channel"):
        op.drop_column("receipt_anomaly", column)
    op.drop_column("payment_notice", "checkout_started_at")
