"""The back-office: staff roles, staff password resets, the audit log, adjustments waiting for
approval, and the paper vouchers' return forms.

- `app_user.role`: operatore `operator` (the old `office`), responsabile `manager`,
  amministratore `admin`, besides `parent`. Staff log in through SPID/CIE by fiscal code; an
  email (for the optional password login) is theirs, never a family's.
- `password_reset` again, for staff: the token's digest only, 30 minutes, used once.
- `audit_entry`: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE).
- `pending_adjustment`: an adjustment above the threshold, until a responsabile decides.
- `paper_voucher_form`: one row per return form booked, its number unique.

Revision ID: 0101
Revises: 0301
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0101"
down_revision = "0301"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_constraint("ck_app_user_role", "app_user", type_="check")
    op.execute("UPDATE app_user SET role = 'operator' WHERE role = 'office'")
    op.create_check_constraint("ck_app_user_role", "app_user", "role in ('parent', 'operator', 'manager', 'admin')")
    op.create_check_constraint(
        "ck_app_user_staff_identified", "app_user", "role = 'parent' OR tax_code IS NOT NULL OR email IS NOT NULL"
    )
    op.create_table(
        "password_reset",
        sa.Column("token_digest", sa.String(64), primary_key=True),
        sa.Column(
            "user_id", sa.Uuid, sa.ForeignKey("app_user.id", name="fk_password_reset_user_id_app_user"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
    )
    _audit_entry()
    _pending_adjustment()
    op.create_table(
        "paper_voucher_form",
        sa.Column("entry_id", sa.Uuid, primary_key=True),
        sa.Column("form_number", sa.String(40), nullable=False),
        sa.Column(
            "account_id",
            sa.Uuid,
            sa.ForeignKey("account.id", name="fk_paper_voucher_form_account_id_account"),
            nullable=False,
        ),
        sa.Column("student_id", sa.Uuid, nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("unit_cents", sa.BigInteger, nullable=False),
        sa.Column("received_on", sa.Date, nullable=False),
        sa.Column("received_by", sa.String(200), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.UniqueConstraint("form_number", name="uq_paper_voucher_form_form_number"),
    )


def _audit_entry() -> None:
    op.create_table(
        "audit_entry",
        sa.Column("seq", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("actor_id", sa.Uuid),
        sa.Column("actor_name", sa.String(200), nullable=False),
        sa.Column("actor_role", sa.String(16), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("account_id", sa.Uuid),
        sa.Column("before", JSONB),
        sa.Column("after", JSONB),
        sa.Column("reason", sa.Text),
    )
    op.create_index("ix_audit_entry_account_id", "audit_entry", ["account_id", "seq"])
    op.create_index("ix_audit_entry_at", "audit_entry", ["at"])
    op.execute("""
        CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$
    """)
    op.execute("""
        CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
        FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
    """)
    op.execute("""
        CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
        FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only();
    """)


def _pending_adjustment() -> None:
    op.create_table(
        "pending_adjustment",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column(
            "account_id",
            sa.Uuid,
            sa.ForeignKey("account.id", name="fk_pending_adjustment_account_id_account"),
            nullable=False,
        ),
        sa.Column("amount_cents", sa.BigInteger, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("requested_by_id", sa.Uuid),
        sa.Column("requested_by", sa.String(200), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("state", sa.String(16), nullable=False, server_default="pending"),
        sa.Column("decided_by_id", sa.Uuid),
        sa.Column("decided_by", sa.String(200)),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("entry_id", sa.Uuid),
        sa.CheckConstraint("state in ('pending', 'approved', 'rejected')", name="ck_pending_adjustment_state"),
    )
    op.create_index("ix_pending_adjustment_state", "pending_adjustment", ["state", "requested_at"])


def downgrade() -> None:
    op.drop_table("paper_voucher_form")
    op.drop_table("pending_adjustment")
    op.execute("DROP TRIGGER audit_entry_no_truncate ON audit_entry")
    op.execute("DROP TRIGGER audit_entry_append_only ON audit_entry")
    op.execute("DROP FUNCTION audit_entry_append_only()")
    op.drop_table("audit_entry")
    op.drop_table("password_reset")
    op.drop_constraint("ck_app_user_staff_identified", "app_user", type_="check")
    op.drop_constraint("ck_app_user_role", "app_user", type_="check")
    op.execute("UPDATE app_user SET role = 'office' WHERE role IN ('operator', 'manager')")
    op.create_check_constraint("ck_app_user_role", "app_user", "role in ('parent', 'office', 'admin')")
