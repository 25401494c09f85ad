"""A message from the office to families (Comunicazioni): to everyone, a school, a class or
chosen families, by email and/or SMS; first counted and previewed, then sent.

Emits `notification-requested` with the audience; notifications finds the families, leaves out
those who refused the channel (diniego) and sends it. Once per request id: the form carries the
id it was shown with, so a second submission (or a retry of the JSON route) sends nothing more.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from accounts.domain.audit import Action, entry
from accounts.domain.communications import Audience, Communication
from accounts.domain.exceptions import InvalidAudience
from accounts.domain.family import valid_tax_code
from accounts.domain.users import Permission, Principal, require
from accounts.handlers.manual_booking import Idempotent, claim_once
from accounts.handlers.ports import AccountsUnitOfWork, JsonObject, NotificationsGateway
from shared.events import NotificationRequested, Template


async def broadcast(
    uow: AccountsUnitOfWork, who: Principal, message: Communication, request_id: uuid.UUID | None = None
) -> uuid.UUID:
    require(who, Permission.OFFICE)
    request_id = request_id or uuid.uuid4()
    once = Idempotent("broadcast", str(request_id), message.logged() | message.audience.fields())
    async with uow:
        if await claim_once(uow, once) is not None:
            return request_id
        fields = message.audience.fields()
        params = {"subject": message.subject, "text": message.text}
        requested = NotificationRequested(
            request_id=request_id, template=Template.BROADCAST, params=params, channels=list(message.channels), **fields
        )
        await uow.publish(requested)
        await uow.idempotency.remember(once.scope, str(request_id), {"request_id": str(request_id)})
        await uow.audit.record(entry(who, Action.BROADCAST, request_id, after=message.logged()))
        await uow.commit()
    return request_id


async def foresee(notifications: NotificationsGateway, who: Principal, message: Communication) -> JsonObject:
    """Who it will reach and who refused it, per channel, and the message as it will read."""
    require(who, Permission.OFFICE)
    return await notifications.foresee(message)


async def chosen_families(uow: AccountsUnitOfWork, tax_codes: Sequence[str]) -> Audience:
    """The families whose holders have these fiscal codes; `InvalidAudience` naming one unknown."""
    found = []
    async with uow:
        for code in dict.fromkeys(c.strip().upper() for c in tax_codes if c.strip()):
            account_id = await uow.families.held_by(valid_tax_code(code, "del titolare"))
            if account_id is None:
                raise InvalidAudience(f"Nessuna famiglia ha come titolare {code}.")
            found.append(account_id)
    return Audience(account_ids=tuple(found))
