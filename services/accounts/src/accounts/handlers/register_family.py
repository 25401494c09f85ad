"""The office registers a family: the holder's account, contacts, students and their enrolments.

Emits `contacts-changed` and a `student-enrolled` per student, through the outbox, in the
transaction that registers them.
"""

from __future__ import annotations

from accounts.domain.family import Family, contacts_changed, student_enrolled
from accounts.handlers.enrol_student import save_enrolment
from accounts.handlers.ports import AccountsUnitOfWork


async def register_family(uow: AccountsUnitOfWork, family: Family) -> None:
    async with uow:
        await uow.families.add(family)
        for child in family.students:
            await save_enrolment(uow, child.student_id, child.enrolment)
        await uow.publish(
            contacts_changed(family.account_id, family.holder_tax_code, family.contacts),
            *(student_enrolled(family.account_id, s, s.enrolment) for s in family.students),
        )
        await uow.commit()
