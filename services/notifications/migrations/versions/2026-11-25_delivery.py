"""Enrolment and balance projections; the delivery log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "enrolment",
        sa.Column("student_id", sa.Uuid, primary_key=True),
        sa.Column("account_id", sa.Uuid, nullable=False),
        sa.Column("school_id", sa.String(64), nullable=False),
        sa.Column("last_name", sa.String(100), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_index("ix_enrolment_account_id", "enrolment", ["account_id"])
    op.create_index("ix_enrolment_school_active", "enrolment", ["school_id"], postgresql_where=sa.text("active"))
    op.create_table(
        "balance",
        sa.Column("account_id", sa.Uuid, primary_key=True),
        sa.Column("balance_cents", sa.BigInteger, nullable=False),
        sa.Column("negative_since", sa.DateTime(timezone=True)),
    )
    op.create_index(
        "ix_balance_negative_since",
        "balance",
        ["negative_since"],
        postgresql_where=sa.text("negative_since IS NOT NULL"),
    )
    op.create_table(
        "delivery",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("account_id", sa.Uuid, nullable=False),
        sa.Column("rule", sa.String(32), nullable=False),
        sa.Column("cause_id", sa.String(200), nullable=False),
        sa.Column("event_id", sa.Uuid),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("params", JSONB, nullable=False),
        sa.Column("recipient", sa.String(254)),
        sa.Column("state", sa.String(24), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
        sa.Column("not_before", sa.DateTime(timezone=True)),
        sa.Column("sending_at", sa.DateTime(timezone=True)),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("provider_id", sa.String(100)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.UniqueConstraint("rule", "cause_id", "channel", "account_id", name="uq_delivery_cause"),
    )
    op.create_index("ix_delivery_account", "delivery", ["account_id", "id"])
    op.create_index(
        "ix_delivery_waiting",
        "delivery",
        ["id"],
        postgresql_where=sa.text("state IN ('queued', 'deferred_quiet_hours', 'sending')"),
    )


def downgrade() -> None:
    op.drop_index("ix_delivery_waiting", table_name="delivery")
    op.drop_index("ix_delivery_account", table_name="delivery")
    op.drop_table("delivery")
    op.drop_index("ix_balance_negative_since", table_name="balance")
    op.drop_table("balance")
    op.drop_index("ix_enrolment_school_active", table_name="enrolment")
    op.drop_index("ix_enrolment_account_id", table_name="enrolment")
    op.drop_table("enrolment")
