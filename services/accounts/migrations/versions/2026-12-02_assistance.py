"""Assistance: the messages between a family and the Ufficio Scuola (one conversation per account).

Revision ID: 0301
Revises: 0006
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0301"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assistance_message",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("seq", sa.BigInteger, sa.Identity(), nullable=False),
        sa.Column(
            "account_id",
            sa.Uuid,
            sa.ForeignKey("account.id", name="fk_assistance_message_account_id_account"),
            nullable=False,
        ),
        sa.Column("side", sa.String(8), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("author_user_id", sa.Uuid),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint("side in ('family', 'office')", name="ck_assistance_message_side"),
        sa.UniqueConstraint("seq", name="uq_assistance_message_seq"),
    )
    op.create_index("ix_assistance_message_account_seq", "assistance_message", ["account_id", "seq"])


def downgrade() -> None:
    op.drop_index("ix_assistance_message_account_seq", table_name="assistance_message")
    op.drop_table("assistance_message")
