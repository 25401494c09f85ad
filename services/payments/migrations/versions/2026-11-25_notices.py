"""Payment notices, their number sequence, receipts keyed by (creditor, IUV), anomalies.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE SEQUENCE notice_base_seq MINVALUE 1 MAXVALUE 9999999999999 NO CYCLE")
    op.create_table(
        "payment_notice",
        sa.Column("notice_number", sa.String(18), primary_key=True),
        sa.Column("iuv", sa.String(35), nullable=False, unique=True),
        sa.Column("creditor_fiscal_code", sa.String(11), nullable=False),
        sa.Column("account_id", sa.Uuid, nullable=False, index=True),
        sa.Column("amount_cents", sa.BigInteger, nullable=False),
        sa.Column("debtor_tax_code", sa.String(16), nullable=False),
        sa.Column("debtor_name", sa.String(70), nullable=False),
        sa.Column("description", sa.String(140), nullable=False),
        sa.Column("due_date", sa.Date, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("receipt_id", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("amount_cents > 0", name="positive_amount"),
    )
    op.add_column("receipt", sa.Column("creditor_fiscal_code", sa.String(11), nullable=True))
    op.add_column("receipt", sa.Column("stand_in", sa.Boolean, nullable=False, server_default=sa.false()))
    op.alter_column("receipt", "channel", type_=sa.String(35))
    # NULL creditor (the internal route) never collides: PostgreSQL treats NULLs as distinct.
    op.create_unique_constraint("uq_receipt_creditor_fiscal_code", "receipt", ["creditor_fiscal_code", "iuv"])
    op.create_index("ix_receipt_received_at", "receipt", ["received_at"])
    op.create_table(
        "receipt_anomaly",
        sa.Column("receipt_id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("creditor_fiscal_code", sa.String(11), nullable=False),
        sa.Column("iuv", sa.String(35), nullable=False),
        sa.Column("notice_number", sa.String(18), nullable=False),
        sa.Column("account_id", sa.Uuid, nullable=True),
        sa.Column("amount_cents", sa.BigInteger, nullable=False),
        sa.Column("expected_cents", sa.BigInteger, nullable=True),
        sa.Column("psp", sa.String(64), nullable=False),
        sa.Column("stand_in", sa.Boolean, nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("receipt_anomaly")
    op.drop_index("ix_receipt_received_at", "receipt")
    op.drop_constraint("uq_receipt_creditor_fiscal_code", "receipt", type_="unique")
    op.alter_column("receipt", "channel", type_=sa.String(32))
    op.drop_column("receipt", "stand_in")
    op.drop_column("receipt", "creditor_fiscal_code")
    op.drop_table("payment_notice")
    op.execute("DROP SEQUENCE notice_base_seq")
