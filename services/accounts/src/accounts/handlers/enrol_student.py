"""Enrols a student of the family, transfers them (another school or class) or withdraws them
(`active=False`) for a school year.

Emits `student-enrolled`, through the outbox, in the transaction that makes the change.
"""

from __future__ import annotations

import uuid

from accounts.domain.exceptions import TariffNotFound
from accounts.domain.family import Enrolment, student_enrolled
from accounts.handlers.ports import AccountsUnitOfWork


async def enrol_student(
    uow: AccountsUnitOfWork, account_id: uuid.UUID, student_id: uuid.UUID, enrolment: Enrolment
) -> None:
    async with uow:
        child = await uow.families.student_of(account_id, student_id)
        await save_enrolment(uow, student_id, enrolment)
        await uow.publish(student_enrolled(account_id, child, enrolment))
        await uow.commit()


async def save_enrolment(uow: AccountsUnitOfWork, student_id: uuid.UUID, enrolment: Enrolment) -> None:
    """A tariff band, if named, must exist in the enrolment's school year."""
    band = enrolment.tariff_band
    if band is not None and not await uow.tariffs.has_band(band, enrolment.school_year):
        raise TariffNotFound()
    await uow.families.save_enrolment(student_id, enrolment)
