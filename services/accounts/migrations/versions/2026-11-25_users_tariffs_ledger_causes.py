"""Users and sessions, tariffs, paper vouchers, refunds, idempotency keys, year closings.

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
    op.create_table(
        "app_user",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("password_hash", sa.String(200)),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("account_id", sa.Uuid, sa.ForeignKey("account.id", name="fk_app_user_account_id_account")),
        sa.Column("active", sa.Boolean, nullable=False, server_default="true"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.UniqueConstraint("email", name="uq_app_user_email"),
        sa.CheckConstraint("role in ('parent', 'office', 'admin')", name="ck_app_user_role"),
        sa.CheckConstraint("(role = 'parent') = (account_id IS NOT NULL)", name="ck_app_user_parent_account"),
    )
    op.create_table(
        "user_session",
        sa.Column("token_digest", sa.String(64), primary_key=True),
        sa.Column(
            "user_id", sa.Uuid, sa.ForeignKey("app_user.id", name="fk_user_session_user_id_app_user"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "login_failure",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_login_failure_subject_failed_at", "login_failure", ["subject", "failed_at"])
    op.create_table(
        "password_reset",
        sa.Column("token_digest", sa.String(64), primary_key=True),
        sa.Column(
            "user_id", sa.Uuid, sa.ForeignKey("app_user.id", name="fk_password_reset_user_id_app_user"), nullable=False
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "tariff_band",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("school_year", sa.String(9), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
    )
    op.create_table(
        "tariff_price",
        sa.Column("band_id", sa.String(32), primary_key=True),
        sa.Column("school_year", sa.String(9), primary_key=True),
        sa.Column("effective_from", sa.Date, primary_key=True),
        sa.Column("meal_price_cents", sa.BigInteger, nullable=False),
        sa.ForeignKeyConstraint(
            ["band_id", "school_year"],
            ["tariff_band.id", "tariff_band.school_year"],
            name="fk_tariff_price_band_id_tariff_band",
        ),
        sa.CheckConstraint("meal_price_cents >= 0", name="ck_tariff_price_non_negative"),
    )
    op.add_column("enrolment", sa.Column("tariff_band", sa.String(32)))
    # The order children were enrolled in: the sibling discount starts from the second.
    op.add_column("student", sa.Column("seq", sa.BigInteger, sa.Identity(), nullable=False))
    op.add_column("account", sa.Column("iban", sa.String(34)))
    op.add_column("ledger_entry", sa.Column("student_id", sa.Uuid))
    op.add_column("ledger_entry", sa.Column("author", sa.String(254)))
    op.create_table(
        "idempotency_key",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("scope", sa.String(100), primary_key=True),
        sa.Column("request_digest", sa.String(64), nullable=False),
        sa.Column("response", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "refund",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column(
            "account_id", sa.Uuid, sa.ForeignKey("account.id", name="fk_refund_account_id_account"), nullable=False
        ),
        sa.Column("amount_cents", sa.BigInteger, nullable=False),
        sa.Column("iban", sa.String(34)),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_by", sa.String(254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("paid_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "year_closing",
        sa.Column("school_year", sa.String(9), primary_key=True),
        sa.Column(
            "account_id",
            sa.Uuid,
            sa.ForeignKey("account.id", name="fk_year_closing_account_id_account"),
            primary_key=True,
        ),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("amount_cents", sa.BigInteger, nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    # A meal cancelled before its charge arrived: the charge, when it comes, is skipped.
    op.create_table(
        "cancelled_meal",
        sa.Column("meal_id", sa.Uuid, primary_key=True),
        sa.Column("account_id", sa.Uuid, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def downgrade() -> None:
    op.drop_table("cancelled_meal")
    op.drop_table("year_closing")
    op.drop_table("refund")
    op.drop_table("idempotency_key")
    op.drop_column("ledger_entry", "author")
    op.drop_column("ledger_entry", "student_id")
    op.drop_column("account", "iban")
    op.drop_column("student", "seq")
    op.drop_column("enrolment", "tariff_band")
    op.drop_table("tariff_price")
    op.drop_table("tariff_band")
    op.drop_table("password_reset")
    op.drop_index("ix_login_failure_subject_failed_at", table_name="login_failure")
    op.drop_table("login_failure")
    op.drop_table("user_session")
    op.drop_table("app_user")
