"""The refunds left to pay, for the treasury: those with an IBAN go in the transfer file, those
without are listed apart ("IBAN mancante"). Each export is audited with the person."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from accounts.domain.audit import Action, entry
from accounts.domain.users import Permission, Principal, require
from accounts.handlers.ports import AccountsUnitOfWork
from accounts.handlers.read_models import RefundToPay


@dataclass(frozen=True)
class RefundsToPay:
    payable: list[RefundToPay]  # with the holder's IBAN
    without_iban: list[RefundToPay]

    @property
    def payable_cents(self) -> int:
        return sum(r.amount_cents for r in self.payable)


async def refunds_to_pay(uow: AccountsUnitOfWork, who: Principal) -> RefundsToPay:
    require(who, Permission.MONEY)
    async with uow:
        return _split(await uow.views.refunds_to_pay())


async def export_refunds(uow: AccountsUnitOfWork, who: Principal, form: Literal["pain.001", "csv"]) -> RefundsToPay:
    """The refunds as they are now, and the export in the audit log (how many, how much)."""
    require(who, Permission.MONEY)
    async with uow:
        refunds = _split(await uow.views.refunds_to_pay())
        after = {"format": form, "refunds": len(refunds.payable), "cents": refunds.payable_cents}
        await uow.audit.record(entry(who, Action.REFUNDS_EXPORTED, "rimborsi", after=after))
        await uow.commit()
    return refunds


def _split(refunds: list[RefundToPay]) -> RefundsToPay:
    return RefundsToPay([r for r in refunds if r.iban], [r for r in refunds if not r.iban])
