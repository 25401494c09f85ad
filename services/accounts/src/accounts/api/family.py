"""The family's own routes beside its account (the portal's pages call the same handlers):
withdrawing an announced absence, the payment notices and their cancellation, the outcome of a
top-up, and the contacts the holder changes."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from fastapi import APIRouter, status
from pydantic import BaseModel

from accounts.api.dependencies import AccountDep, GatewaysDep, PrincipalDep, UowDep
from accounts.api.schemas import Amount, ContactsIn, Forwarded
from accounts.domain.family import Contacts
from accounts.domain.notices import FamilyNotice
from accounts.handlers import attendance_of_student as school_days
from accounts.handlers.cancel_notice import cancel_notice
from accounts.handlers.change_contacts import change_own_contacts
from accounts.handlers.family_notices import family_notices
from accounts.handlers.top_up_outcome import top_up_outcome

router = APIRouter(tags=["accounts"])


class NoticeView(BaseModel):
    notice_number: str
    printed_notice_number: str
    amount: Amount
    due_date: date
    state: str  # open, paid, expired, cancelling (until pagoPA's ACA confirms), cancelled
    cancellable: bool
    created_at: datetime | None
    pdf_url: str

    @classmethod
    def of(cls, n: FamilyNotice) -> NoticeView:
        return cls(
            notice_number=n.notice_number,
            printed_notice_number=n.printed_number,
            amount=Amount.of(n.amount_cents),
            due_date=n.due_date,
            state=n.state.value,
            cancellable=n.cancellable,
            created_at=n.created_at,
            pdf_url=f"/accounts/{n.account_id}/notices/{n.notice_number}.pdf",
        )


class TopUpOutcomeView(BaseModel):
    notice: NoticeView
    credited: bool
    balance: Amount | None  # after the credit; the holder's only


@router.delete("/accounts/{account_id}/students/{student_id}/absences/{service_date}")
async def withdraw_absence(
    account_id: AccountDep, student_id: uuid.UUID, service_date: date, uow: UowDep, other: GatewaysDep
) -> Forwarded:
    """The parent's announcement withdrawn; after the school's cut-off, 409 `troppo_tardi`."""
    return Forwarded(**await school_days.withdraw_absence(uow, other.attendance, account_id, student_id, service_date))


@router.get("/accounts/{account_id}/notices")
async def notices(account_id: AccountDep, who: PrincipalDep, other: GatewaysDep) -> list[NoticeView]:
    """Newest first; a guardian who is not the holder does not see the paid ones."""
    return [NoticeView.of(n) for n in await family_notices(other.payments, who, account_id)]


@router.post("/accounts/{account_id}/notices/{notice_number}/cancel")
async def cancel(account_id: AccountDep, notice_number: str, other: GatewaysDep) -> NoticeView:
    """An unpaid notice no PSP has activated; else 422 `avviso_non_annullabile`."""
    return NoticeView.of(await cancel_notice(other.payments, account_id, notice_number))


@router.get("/accounts/{account_id}/top-ups/{notice_number}")
async def outcome(
    account_id: AccountDep, notice_number: str, who: PrincipalDep, uow: UowDep, other: GatewaysDep
) -> TopUpOutcomeView:
    found = await top_up_outcome(uow, other.payments, who, account_id, notice_number)
    balance = found.credit.balance_after_cents if found.credit else None
    return TopUpOutcomeView(
        notice=NoticeView.of(found.notice),
        credited=found.credited,
        balance=None if balance is None else Amount.of(balance),
    )


@router.put("/accounts/{account_id}/contacts", status_code=status.HTTP_204_NO_CONTENT)
async def change_contacts(account_id: AccountDep, body: ContactsIn, who: PrincipalDep, uow: UowDep) -> None:
    """The holder changes the family's contacts and refusals (diniego); a guardian gets 403."""
    await change_own_contacts(uow, who, account_id, contacts_of(body))


def contacts_of(body: ContactsIn) -> Contacts:
    return Contacts(body.email, body.phone, body.email_opt_out, body.sms_opt_out, body.io_opt_out)
