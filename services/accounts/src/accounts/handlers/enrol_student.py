"""Enrols a student of the family, transfers them (another school or class) or withdraws them
(`active=False`) for a school year; or adds a new child to a family.

Emits `student-enrolled`, through the outbox, in the transaction that makes the change, with the
audit entry (the enrolment before and after).
"""

from __future__ import annotations

import uuid
from datetime import date

from accounts.domain.audit import Action, entry
from accounts.domain.exceptions import TariffNotFound
from accounts.domain.family import Enrolment, Student, enrolment_audited, student_enrolled
from accounts.domain.users import Permission, Principal, require
from accounts.handlers.ports import AccountsUnitOfWork


async def enrol_student(
    uow: AccountsUnitOfWork,
    who: Principal,
    account_id: uuid.UUID,
    student_id: uuid.UUID,
    enrolment: Enrolment,
    effective_from: date,
) -> None:
    """`effective_from`: from which service day the change prices meals (a transfer, a withdrawal)."""
    require(who, Permission.OFFICE)
    async with uow:
        child = await uow.families.student_of(account_id, student_id)
        before = await uow.families.enrolment_of(student_id, enrolment.school_year)
        await save_enrolment(uow, student_id, enrolment, effective_from)
        await uow.publish(student_enrolled(account_id, child, enrolment))
        changed = entry(
            who,
            Action.ENROLMENT_CHANGED,
            student_id,
            account_id=account_id,
            before=enrolment_audited(before),
            after=enrolment_audited(enrolment),
        )
        await uow.audit.record(changed)
        await uow.commit()


async def add_student(uow: AccountsUnitOfWork, who: Principal, account_id: uuid.UUID, child: Student, on: date) -> None:
    """A new child of an existing family, with their first enrolment."""
    require(who, Permission.OFFICE)
    async with uow:
        await uow.families.holder(account_id)  # `AccountNotFound` if there is no such account
        await uow.families.add_students(account_id, [child])
        await save_enrolment(uow, child.student_id, child.enrolment, on)
        await uow.publish(student_enrolled(account_id, child, child.enrolment))
        after = {"alunno": f"{child.first_name} {child.last_name}", "iscrizione": enrolment_audited(child.enrolment)}
        await uow.audit.record(entry(who, Action.STUDENT_ADDED, child.student_id, account_id=account_id, after=after))
        await uow.commit()


async def save_enrolment(
    uow: AccountsUnitOfWork, student_id: uuid.UUID, enrolment: Enrolment, effective_from: date
) -> None:
    """A tariff band, if named, must exist in the enrolment's school year."""
    band = enrolment.tariff_band
    if band is not None and not await uow.tariffs.has_band(band, enrolment.school_year):
        raise TariffNotFound()
    await uow.families.save_enrolment(student_id, enrolment, effective_from)
