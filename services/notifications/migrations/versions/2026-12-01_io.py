"""The app IO in the contact book: the holder's fiscal code (the family's address there) and the
family's refusal of IO messages.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("contact", sa.Column("holder_tax_code", sa.String(16)))
    op.add_column("contact", sa.Column("io_opt_out", sa.Boolean, nullable=False, server_default="false"))


def downgrade() -> None:
    op.drop_column("contact", "io_opt_out")
    op.drop_column("contact", "holder_tax_code")
