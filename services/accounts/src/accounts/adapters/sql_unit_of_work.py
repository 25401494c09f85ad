"""The accounts unit of work on PostgreSQL: its repositories share the transaction's connection."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters.sql_adjustments import SqlPendingAdjustments
from accounts.adapters.sql_audit import SqlAuditLog
from accounts.adapters.sql_cancellations import SqlCancellations
from accounts.adapters.sql_conversations import SqlConversations
from accounts.adapters.sql_desk_views import SqlDeskViews
from accounts.adapters.sql_families import SqlFamilies
from accounts.adapters.sql_idempotency import SqlIdempotencyKeys
from accounts.adapters.sql_ledger import SqlLedger
from accounts.adapters.sql_office_views import SqlOfficeViews
from accounts.adapters.sql_portal_views import SqlPortalViews
from accounts.adapters.sql_sessions import SqlLoginFailures, SqlPasswordResets, SqlSessions
from accounts.adapters.sql_tariffs import SqlTariffs
from accounts.adapters.sql_users import SqlUsers
from accounts.adapters.sql_views import SqlAccountViews
from accounts.adapters.sql_vouchers import SqlVoucherForms
from accounts.adapters.sql_year_closings import SqlYearClosings
from shared.db import SqlUnitOfWork


class SqlAccountsUnitOfWork(SqlUnitOfWork):
    ledger: SqlLedger
    cancellations: SqlCancellations
    tariffs: SqlTariffs
    families: SqlFamilies
    year_closings: SqlYearClosings
    idempotency: SqlIdempotencyKeys
    users: SqlUsers
    sessions: SqlSessions
    login_failures: SqlLoginFailures
    password_resets: SqlPasswordResets
    audit: SqlAuditLog
    pending_adjustments: SqlPendingAdjustments
    voucher_forms: SqlVoucherForms
    views: SqlAccountViews
    desk: SqlDeskViews
    portal: SqlPortalViews
    conversations: SqlConversations
    office_views: SqlOfficeViews

    def _bind(self, connection: AsyncConnection) -> None:
        self.ledger = SqlLedger(connection, self.after_commit)
        self.cancellations = SqlCancellations(connection)
        self.tariffs = SqlTariffs(connection)
        self.families = SqlFamilies(connection)
        self.year_closings = SqlYearClosings(connection)
        self.idempotency = SqlIdempotencyKeys(connection)
        self.users = SqlUsers(connection)
        self.sessions = SqlSessions(connection)
        self.login_failures = SqlLoginFailures(connection)
        self.password_resets = SqlPasswordResets(connection)
        self.audit = SqlAuditLog(connection)
        self.pending_adjustments = SqlPendingAdjustments(connection)
        self.voucher_forms = SqlVoucherForms(connection)
        self.views = SqlAccountViews(connection)
        self.desk = SqlDeskViews(connection)
        self.portal = SqlPortalViews(connection)
        self.conversations = SqlConversations(connection)
        self.office_views = SqlOfficeViews(connection)
