"""The accounts unit of work on PostgreSQL: its repositories share the transaction's connection."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters.sql_cancellations import SqlCancellations
from accounts.adapters.sql_conversations import SqlConversations
from accounts.adapters.sql_desk_views import SqlDeskViews
from accounts.adapters.sql_families import SqlFamilies
from accounts.adapters.sql_idempotency import SqlIdempotencyKeys
from accounts.adapters.sql_ledger import SqlLedger
from accounts.adapters.sql_portal_views import SqlPortalViews
from accounts.adapters.sql_sessions import SqlLoginFailures, SqlSessions
from accounts.adapters.sql_tariffs import SqlTariffs
from accounts.adapters.sql_users import SqlUsers
from accounts.adapters.sql_views import SqlAccountViews
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
    views: SqlAccountViews
    desk: SqlDeskViews
    portal: SqlPortalViews
    conversations: SqlConversations

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
        self.views = SqlAccountViews(connection)
        self.desk = SqlDeskViews(connection)
        self.portal = SqlPortalViews(connection)
        self.conversations = SqlConversations(connection)
