"""The payments unit of work on PostgreSQL: one transaction, and the repositories on its connection."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from payments.adapters.sql_aca import SqlAcaChanges
from payments.adapters.sql_anomalies import SqlAnomalies
from payments.adapters.sql_day_book import SqlDayBook, SqlTopUps
from payments.adapters.sql_notices import SqlNotices
from payments.adapters.sql_receipts import SqlReceipts
from shared.db import SqlUnitOfWork
from shared.topics import Topic


class SqlPaymentsUnitOfWork(SqlUnitOfWork):
    notices: SqlNotices
    receipts: SqlReceipts
    day_book: SqlDayBook
    aca_changes: SqlAcaChanges
    anomalies: SqlAnomalies
    top_ups: SqlTopUps

    def _bind(self, connection: AsyncConnection) -> None:
        self.notices = SqlNotices(connection)
        self.receipts = SqlReceipts(connection)
        self.day_book = SqlDayBook(connection, self._topic_prefix + Topic.PAYMENT_RECEIVED.value)
        self.aca_changes = SqlAcaChanges(connection)
        self.anomalies = SqlAnomalies(connection)
        self.top_ups = SqlTopUps(connection)
