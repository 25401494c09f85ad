"""The school office's routes."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from accounts.api.dependencies import OfficeOnly, UowDep
from accounts.api.schemas import CreatedFamily, NewFamily
from accounts.domain.family import Contacts, Enrolment, Family, Student, valid_tax_code
from accounts.handlers.register_family import register_family

router = APIRouter(prefix="/office", tags=["office"], dependencies=[OfficeOnly])


@router.post("/families", status_code=status.HTTP_201_CREATED)
async def create_family(body: NewFamily, uow: UowDep) -> CreatedFamily:
    family = Family(
        account_id=uuid.uuid4(),
        holder_tax_code=valid_tax_code(body.holder_tax_code, "del titolare"),
        holder_first_name=body.holder_first_name,
        holder_last_name=body.holder_last_name,
        contacts=Contacts(body.email, body.phone, body.email_opt_out, body.sms_opt_out),
        students=[
            Student(
                student_id=uuid.uuid4(),
                tax_code=valid_tax_code(s.tax_code, "dell'alunno"),
                first_name=s.first_name,
                last_name=s.last_name,
                enrolment=Enrolment(s.school_year, s.school_id, s.class_id, s.diet),
            )
            for s in body.students
        ],
    )
    async with uow:
        await register_family(uow, family)
    return CreatedFamily(account_id=family.account_id, student_ids=[s.student_id for s in family.students])
