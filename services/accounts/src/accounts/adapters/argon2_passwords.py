"""Staff passwords hashed with argon2id (parents have none: they log in with SPID or CIE)."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class Argon2Passwords:
    """argon2 takes ~150 ms of CPU: it runs off the event loop, which also runs the consumers."""

    def __init__(self) -> None:
        self._hasher = PasswordHasher()
        # Verified when the email is unknown, so that a wrong address costs as long as a wrong password.
        self._dummy_hash = self._hasher.hash("refettorio-dummy-password")

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, password: str, stored_hash: str | None) -> bool:
        return await asyncio.to_thread(self._verify, password, stored_hash)

    def _verify(self, password: str, stored_hash: str | None) -> bool:
        try:
            return self._hasher.verify(stored_hash or self._dummy_hash, password) and stored_hash is not None
        except (VerificationError, InvalidHashError):
            return False
