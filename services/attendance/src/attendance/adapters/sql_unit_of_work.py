"""The attendance unit of work on PostgreSQL: the repositories, bound to the transaction's connection."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncConnection

from attendance.adapters.sql_absences import SqlAbsences
from attendance.adapters.sql_changes import SqlChanges
from attendance.adapters.sql_corrections import SqlCorrections
from attendance.adapters.sql_days import SqlDays
from attendance.adapters.sql_meals import SqlMeals
from attendance.adapters.sql_roster import SqlRoster
from attendance.adapters.sql_terminals import SqlTerminals
from attendance.handlers.ports import AttendanceUnitOfWork
from shared.db import SqlUnitOfWork


class SqlAttendanceUnitOfWork(SqlUnitOfWork):
    days: SqlDays
    roster: SqlRoster
    absences: SqlAbsences
    meals: SqlMeals
    corrections: SqlCorrections
    terminals: SqlTerminals
    changes: SqlChanges

    def _bind(self, connection: AsyncConnection) -> None:
        self.days = SqlDays(connection)
        self.roster = SqlRoster(connection)
        self.absences = SqlAbsences(connection)
        self.meals = SqlMeals(connection, self.publish)
        self.corrections = SqlCorrections(connection)
        self.terminals = SqlTerminals(connection)
        self.changes = SqlChanges(connection)


if TYPE_CHECKING:  # mypy checks that the handlers find here every repository they need
    _implements: type[AttendanceUnitOfWork] = SqlAttendanceUnitOfWork
