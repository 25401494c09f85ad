"""The office's "sollecita ora" (Morosità e solleciti): a reminder to one or many families in
debt, now, through each family's channels; notifications leaves out the channels the family
refused (diniego) and the families no longer in debt when it sends.

Emits `notification-requested` (template `reminder`) for the chosen families. Once per request
id: the form carries the id it was shown with, so a second submission sends nothing more (and
notifications logs a request's reminder once per family and channel, however often it arrives).
Audited per family, so each family's timeline shows it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from accounts.domain.audit import Action, entry
from accounts.domain.exceptions import InvalidAudience
from accounts.domain.users import Permission, Principal, require
from accounts.handlers.manual_booking import Idempotent, claim_once
from accounts.handlers.ports import AccountsUnitOfWork
from shared.events import NotificationRequested, Template


async def remind_now(
    uow: AccountsUnitOfWork, who: Principal, request_id: uuid.UUID, account_ids: Sequence[uuid.UUID]
) -> bool:
    """Whether this request sent the reminders (False: an earlier one with this id did)."""
    require(who, Permission.OFFICE)
    families = list(dict.fromkeys(account_ids))
    if not families:
        raise InvalidAudience("Scegli almeno una famiglia da sollecitare.")
    once = Idempotent("reminder", str(request_id), {"account_ids": sorted(str(a) for a in families)})
    async with uow:
        if await claim_once(uow, once) is not None:
            return False
        for account_id in families:
            await uow.families.holder(account_id)  # AccountNotFound for a family that is not
            await uow.audit.record(entry(who, Action.REMINDER_SENT, request_id, account_id=account_id))
        await uow.publish(
            NotificationRequested(request_id=request_id, account_ids=families, template=Template.REMINDER)
        )
        await uow.idempotency.remember(once.scope, once.key or "", {"request_id": str(request_id)})
        await uow.commit()
    return True
