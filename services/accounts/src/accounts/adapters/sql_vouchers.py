"""The paper vouchers' return forms on PostgreSQL: a form number is recorded once (unique)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from accounts.adapters.tables import paper_voucher_form as form
from accounts.domain.exceptions import FormAlreadyRecorded
from accounts.domain.vouchers import VoucherForm


class SqlVoucherForms:
    def __init__(self, connection: AsyncConnection) -> None:
        self._conn = connection

    async def by_number(self, form_number: str) -> VoucherForm | None:
        row = (await self._conn.execute(select(form).where(form.c.form_number == form_number))).mappings().first()
        if row is None:
            return None
        return VoucherForm(
            row["account_id"],
            row["student_id"],
            row["count"],
            row["unit_cents"],
            row["received_on"],
            row["received_by"],
            row["form_number"],
            row["recorded_by"],
            row["entry_id"],
            row["recorded_at"],
        )

    async def add(self, recorded: VoucherForm) -> None:
        assert recorded.entry_id is not None
        assert recorded.form_number is not None
        try:
            await self._conn.execute(
                form.insert().values(
                    entry_id=recorded.entry_id,
                    form_number=recorded.form_number,
                    account_id=recorded.account_id,
                    student_id=recorded.student_id,
                    count=recorded.count,
                    unit_cents=recorded.unit_cents,
                    received_on=recorded.received_on,
                    received_by=recorded.received_by[:200],
                    recorded_by=recorded.recorded_by[:200],
                )
            )
        except IntegrityError as error:
            raise FormAlreadyRecorded(recorded.form_number) from error
