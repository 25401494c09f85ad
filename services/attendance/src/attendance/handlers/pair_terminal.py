"""A tablet pairs with the code the office was shown: the terminal gets a new secret, which only
the tablet holds from now on (the credential shown at registration stops working), and the code
is spent. An unknown, expired or spent code pairs nothing."""

from __future__ import annotations

from datetime import datetime

from attendance.domain.exceptions import PairingCodeInvalid
from attendance.domain.terminals import IssuedCredential, typed_code
from attendance.handlers.ports import AttendanceUnitOfWork
from shared import secrets


async def pair_terminal(uow: AttendanceUnitOfWork, typed: str, now: datetime) -> IssuedCredential:
    secret = secrets.new_secret()
    async with uow:
        paired = await uow.terminals.pair(secrets.digest(typed_code(typed)), secrets.digest(secret), now)
        if paired is None:
            raise PairingCodeInvalid()
        await uow.commit()
    return IssuedCredential(paired, paired.credential(secret))
