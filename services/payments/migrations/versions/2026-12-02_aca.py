"""ACA: the changes of each notice that pagoPA's archive must learn; when a PSP activated a notice.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("payment_notice", sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "aca_change",
        sa.Column("id", sa.BigInteger, autoincrement=True, nullable=False),
        sa.Column("notice_number", sa.String(18), nullable=False),
        sa.Column("change", sa.String(16), nullable=False),
        sa.Column("position", JSONB, nullable=False),
        sa.Column("state", sa.String(16), nullable=False, server_default="pending"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("answer", sa.Text, nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_aca_change"),
    )
    op.create_index("ix_aca_change_notice_number", "aca_change", ["notice_number", "id"])
    op.create_index(
        "ix_aca_change_unsettled",
        "aca_change",
        ["notice_number"],
        postgresql_where=sa.text("state IN ('pending', 'failed')"),
    )


def downgrade() -> None:
    op.drop_table("aca_change")
    op.drop_column("payment_notice", "activated_at")
