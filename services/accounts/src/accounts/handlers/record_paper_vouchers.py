"""The letter's return form: paper vouchers a family handed in, credited to the account.

One movement per form (pupil, number of vouchers, unit value, date, who received them). A form
with a number is credited once (`domain.vouchers`): the same number again answers the first
booking, with other content it is refused. Without a number, once per Idempotency-Key (see
`manual_booking`). Audited.
"""

from __future__ import annotations

import dataclasses

from accounts.domain.audit import Action, AuditEntry, entry
from accounts.domain.exceptions import FormAlreadyRecorded
from accounts.domain.ledger import entry_id
from accounts.domain.users import Permission, Principal, require
from accounts.domain.vouchers import VoucherForm
from accounts.handlers.manual_booking import Booked, Idempotent, book_by_hand, book_checked, locked_for
from accounts.handlers.ports import AccountsUnitOfWork


async def record_paper_vouchers(
    uow: AccountsUnitOfWork, who: Principal, form: VoucherForm, key: str | None = None
) -> Booked:
    require(who, Permission.OFFICE)
    form = dataclasses.replace(form, recorded_by=who.name)
    if form.form_number is not None:
        return await _record_form(uow, who, form)
    request = {
        "student_id": form.student_id,
        "count": form.count,
        "unit_cents": form.unit_cents,
        "received_on": form.received_on,
    }
    once = Idempotent(f"vouchers:{form.account_id}", key, request)
    return await book_by_hand(uow, form.movement(), form.received_on, once, _audited(who, form))


async def _record_form(uow: AccountsUnitOfWork, who: Principal, form: VoucherForm) -> Booked:
    assert form.form_number is not None
    movement = form.movement()
    async with uow:
        balances = await locked_for(uow, movement)  # a double submission waits here
        earlier = await uow.voucher_forms.by_number(form.form_number)
        if earlier is not None:
            if not earlier.same_form(form) or earlier.entry_id is None:
                raise FormAlreadyRecorded(form.form_number)
            return Booked(earlier.entry_id, balances[form.account_id], already=True)
        await uow.voucher_forms.add(dataclasses.replace(form, entry_id=entry_id(movement)))
        booked = await book_checked(uow, balances, movement, form.received_on)
        await uow.audit.record(_audited(who, form))
        await uow.commit()
    return booked


def _audited(who: Principal, form: VoucherForm) -> AuditEntry:
    after = {
        "modulo": form.form_number,
        "alunno": str(form.student_id),
        "buoni": form.count,
        "valore_unitario_cents": form.unit_cents,
        "totale_cents": form.total_cents,
        "data": form.received_on.isoformat(),
        "ricevuti_da": form.received_by,
    }
    return entry(
        who, Action.PAPER_VOUCHERS, form.form_number or form.student_id, account_id=form.account_id, after=after
    )
