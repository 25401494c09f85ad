"""The receipt of a paper vouchers' return form ("Firma per ricevuta"): what was handed in, by
which family, for which pupil, received by whom, and the credit it made."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.domain.exceptions import RequestNotFound
from accounts.domain.family import Holder, StudentIdentity
from accounts.domain.vouchers import VoucherForm
from accounts.handlers.ports import AccountsUnitOfWork


@dataclass(frozen=True)
class VoucherReceipt:
    form: VoucherForm
    holder: Holder
    pupil: StudentIdentity


async def voucher_receipt(uow: AccountsUnitOfWork, form_number: str) -> VoucherReceipt:
    async with uow:
        form = await uow.voucher_forms.by_number(form_number)
        if form is None:
            raise RequestNotFound()
        holder = await uow.families.holder(form.account_id)
        pupil = await uow.families.student_of(form.account_id, form.student_id)
    return VoucherReceipt(form, holder, pupil)
