"""The office registers a family: the holder's account, contacts, students and their enrolments.

Emits `contacts-changed` and a `student-enrolled` per student, through the outbox, in the
transaction that registers them, with the audit entry.
"""

from __future__ import annotations

from datetime import date

from accounts.domain.audit import Action, entry
from accounts.domain.family import Family, FamilyDetails, Holder, contacts_changed, enrolment_audited, student_enrolled
from accounts.domain.users import Permission, Principal, require
from accounts.handlers.enrol_student import save_enrolment
from accounts.handlers.ports import AccountsUnitOfWork


async def register_family(uow: AccountsUnitOfWork, who: Principal, family: Family, on: date) -> None:
    """`on`: today, from when the enrolments count (and before it: they are the first)."""
    require(who, Permission.OFFICE)
    async with uow:
        await uow.families.add(family)
        for child in family.students:
            await save_enrolment(uow, child.student_id, child.enrolment, on)
        await uow.publish(
            contacts_changed(family.account_id, family.holder_tax_code, family.contacts),
            *(student_enrolled(family.account_id, s, s.enrolment) for s in family.students),
        )
        await uow.audit.record(
            entry(
                who, Action.FAMILY_REGISTERED, family.account_id, account_id=family.account_id, after=_audited(family)
            )
        )
        await uow.commit()


def _audited(family: Family) -> dict[str, object]:
    holder = Holder(family.holder_tax_code, family.holder_first_name, family.holder_last_name)
    details = FamilyDetails(holder, family.contacts, family.iban).audited()
    children = [
        {"alunno": f"{s.first_name} {s.last_name}", "iscrizione": enrolment_audited(s.enrolment)}
        for s in family.students
    ]
    return details | {"codice_fiscale": family.holder_tax_code, "alunni": children}
