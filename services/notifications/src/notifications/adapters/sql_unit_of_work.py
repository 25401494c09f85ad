"""The notifications service's unit of work on PostgreSQL: one transaction, its repositories."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncConnection

from notifications.adapters.sql_delivery_log import SqlDeliveryLog
from notifications.adapters.sql_projections import SqlBalances, SqlContactBook, SqlEnrolments
from shared.db import SqlUnitOfWork

if TYPE_CHECKING:
    from notifications.handlers.ports import NotificationsUnitOfWork


class SqlNotificationsUnitOfWork(SqlUnitOfWork):
    contacts: SqlContactBook
    enrolments: SqlEnrolments
    balances: SqlBalances
    deliveries: SqlDeliveryLog

    def _bind(self, connection: AsyncConnection) -> None:
        self.contacts = SqlContactBook(connection)
        self.enrolments = SqlEnrolments(connection)
        self.balances = SqlBalances(connection)
        self.deliveries = SqlDeliveryLog(connection, self.after_commit)


if TYPE_CHECKING:  # mypy proves that it implements the handlers' port
    _implements: type[NotificationsUnitOfWork] = SqlNotificationsUnitOfWork
