"""The accounts unit of work on PostgreSQL: its repositories share the transaction's connection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
        """Repositories are built when first used (`__getattr__`): a unit of work uses one or two
        of its eighteen, and building them all cost a request more than its query."""
        for name in _REPOSITORIES:
            self.__dict__.pop(name, None)

    def __getattr__(self, name: str) -> Any:
        build = _REPOSITORIES.get(name)
        if build is None:
            raise AttributeError(name)
        repository = build(self.connection, self.after_commit)
        setattr(self, name, repository)
        return repository


_REPOSITORIES: dict[str, Callable[[AsyncConnection, Callable[[Callable[[], None]], None]], Any]] = {
    "ledger": SqlLedger,
    "cancellations": lambda c, _: SqlCancellations(c),
    "tariffs": lambda c, _: SqlTariffs(c),
    "families": lambda c, _: SqlFamilies(c),
    "year_closings": lambda c, _: SqlYearClosings(c),
    "idempotency": lambda c, _: SqlIdempotencyKeys(c),
    "users": lambda c, _: SqlUsers(c),
    "sessions": lambda c, _: SqlSessions(c),
    "login_failures": lambda c, _: SqlLoginFailures(c),
    "password_resets": lambda c, _: SqlPasswordResets(c),
    "audit": lambda c, _: SqlAuditLog(c),
    "pending_adjustments": lambda c, _: SqlPendingAdjustments(c),
    "voucher_forms": lambda c, _: SqlVoucherForms(c),
    "views": lambda c, _: SqlAccountViews(c),
    "desk": lambda c, _: SqlDeskViews(c),
    "portal": lambda c, _: SqlPortalViews(c),
    "conversations": lambda c, _: SqlConversations(c),
    "office_views": lambda c, _: SqlOfficeViews(c),
}
