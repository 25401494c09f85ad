"""Password hashing (argon2id); random tokens stored only as SHA-256 digests (`shared.secrets`)."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from shared.secrets import digest
from shared.secrets import new_secret as new_token

__all__ = ["digest", "hash_password", "new_token", "verify_password"]

_hasher = PasswordHasher()
# Verified when the email is unknown, so that a wrong address costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("refettorio-dummy-password")


async def hash_password(password: str) -> str:
    """argon2 takes ~150 ms of CPU: off the event loop, which also runs the consumers."""
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password: str, stored: str | None) -> bool:
    return await asyncio.to_thread(_verify, password, stored)


def _verify(password: str, stored: str | None) -> bool:
    try:
        return _hasher.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False
