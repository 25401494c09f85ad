"""The notifications service's unit of work on PostgreSQL: one transaction, its repositories."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from notifications.adapters.sql_delivery_log import SqlDeliveryLog
from notifications.adapters.sql_projections import SqlBalances, SqlContactBook, SqlEnrolments
from notifications.handlers.ports import Balances, ContactBook, DeliveryLog, Enrolments
from shared.db import SqlUnitOfWork


class SqlNotificationsUnitOfWork(SqlUnitOfWork):
    contacts: ContactBook
    enrolments: Enrolments
    balances: Balances
    deliveries: DeliveryLog

    def _bind(self, connection: AsyncConnection) -> None:
        self.contacts = SqlContactBook(connection)
        self.enrolments = SqlEnrolments(connection)
        self.balances = SqlBalances(connection)
        self.deliveries = SqlDeliveryLog(connection)
