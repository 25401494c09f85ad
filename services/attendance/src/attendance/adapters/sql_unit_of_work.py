"""The attendance unit of work on PostgreSQL: the repositories, bound to the transaction's connection."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from attendance.adapters.sql_absences import SqlAbsences
from attendance.adapters.sql_corrections import SqlCorrections
from attendance.adapters.sql_days import SqlDays
from attendance.adapters.sql_meals import SqlMeals
from attendance.adapters.sql_roster import SqlRoster
from attendance.adapters.sql_terminals import SqlTerminals
from attendance.handlers.ports import Absences, Corrections, Days, Meals, Roster, Terminals
from shared.db import SqlUnitOfWork


class SqlAttendanceUnitOfWork(SqlUnitOfWork):
    days: Days
    roster: Roster
    absences: Absences
    meals: Meals
    corrections: Corrections
    terminals: Terminals

    def _bind(self, connection: AsyncConnection) -> None:
        self.days = SqlDays(connection)
        self.roster = SqlRoster(connection)
        self.absences = SqlAbsences(connection)
        self.meals = SqlMeals(connection, self.publish)
        self.corrections = SqlCorrections(connection)
        self.terminals = SqlTerminals(connection)
