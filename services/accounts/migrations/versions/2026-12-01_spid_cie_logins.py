"""Parents log in with SPID or CIE: a user is a fiscal code, not an email and a password.

- `app_user.tax_code` (unique): the person, as the identity provider names them; a parent has
  one, staff may not. `email` becomes optional. Parents lose their passwords.
- Existing parent users: the first active holder user of each account takes the holder's fiscal
  code; any other parent user (a guardian known only by email) is deactivated, for the office to
  register again by fiscal code.
- `user_session`: `last_seen_at` for the idle expiry, `method` (spid, cie, password).
- Password resets are gone (parents have no password; staff have no address for one).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("app_user", sa.Column("tax_code", sa.String(16)))
    op.add_column("app_user", sa.Column("display_name", sa.String(200)))
    op.alter_column("app_user", "email", nullable=True)
    op.execute("""
        UPDATE app_user u SET tax_code = a.holder_tax_code
        FROM account a
        WHERE u.account_id = a.id AND u.id = (
            SELECT first.id FROM app_user first
            WHERE first.account_id = a.id AND first.role = 'parent' AND first.is_holder AND first.active
            ORDER BY first.created_at, first.id LIMIT 1)
    """)
    op.execute("UPDATE app_user SET active = false WHERE role = 'parent' AND tax_code IS NULL")
    op.execute("UPDATE app_user SET password_hash = NULL WHERE role = 'parent'")
    op.create_unique_constraint("uq_app_user_tax_code", "app_user", ["tax_code"])
    op.create_check_constraint(
        "ck_app_user_parent_tax_code", "app_user", "role <> 'parent' OR tax_code IS NOT NULL OR NOT active"
    )
    op.create_check_constraint(
        "ck_app_user_parent_no_password", "app_user", "role <> 'parent' OR password_hash IS NULL"
    )
    op.add_column(
        "user_session",
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.add_column("user_session", sa.Column("method", sa.String(16), nullable=False, server_default="password"))
    op.drop_table("password_reset")


def downgrade() -> None:
    op.create_table(
        "password_reset",
        sa.Column("token_digest", sa.String(64), primary_key=True),
        sa.Column(
            "user_id", sa.Uuid, sa.ForeignKey("app_user.id", name="fk_password_reset_user_id_app_user"), nullable=False
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
    )
    op.drop_column("user_session", "method")
    op.drop_column("user_session", "last_seen_at")
    op.drop_constraint("ck_app_user_parent_no_password", "app_user", type_="check")
    op.drop_constraint("ck_app_user_parent_tax_code", "app_user", type_="check")
    op.drop_constraint("uq_app_user_tax_code", "app_user", type_="unique")
    # A parent without an email cannot go back to email logins.
    op.execute("DELETE FROM user_session WHERE user_id IN (SELECT id FROM app_user WHERE email IS NULL)")
    op.execute("DELETE FROM app_user WHERE email IS NULL")
    op.alter_column("app_user", "email", nullable=False)
    op.drop_column("app_user", "display_name")
    op.drop_column("app_user", "tax_code")
