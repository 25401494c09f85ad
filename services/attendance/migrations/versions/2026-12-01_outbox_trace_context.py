"""The outbox keeps the trace each event belongs to, and the relay sends it as Kafka headers.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from shared.migrations import add_outbox_trace_context, drop_outbox_trace_context

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_outbox_trace_context()


def downgrade() -> None:
    drop_outbox_trace_context()
