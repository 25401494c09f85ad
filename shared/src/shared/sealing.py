"""A value sealed for one other service: what an event must carry but nobody else may read.

A staff password reset asks notifications, through `notification-requested`, to email a link
whose token opens the account. The event travels through the outbox, Kafka and maybe a dead-letter
topic, all of which keep it for a while: so accounts seals the link (JWE, `dir` + `A256GCM`) with
a key only accounts and notifications hold (`<SERVICE>_SEALING_KEY`, the same secret in both),
and notifications opens it just before rendering the email. Anyone else sees ciphertext.
"""

from __future__ import annotations

import hashlib

from joserfc import jwe
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

DEV_SEALING_KEY = "dev-sealing-key"
_HEADER = {"alg": "dir", "enc": "A256GCM"}


class Unsealable(ValueError):
    """Not sealed with our key (or tampered with)."""


def _key(secret: str) -> OctKey:
    return OctKey.import_key(hashlib.sha256(f"refettorio-sealing:{secret}".encode()).digest())


def seal(value: str, secret: str) -> str:
    return jwe.encrypt_compact(_HEADER, value.encode(), _key(secret))


def unseal(sealed: str, secret: str) -> str:
    try:
        opened = jwe.decrypt_compact(sealed, _key(secret)).plaintext
    except (JoseError, ValueError) as error:
        raise Unsealable(type(error).__name__) from error
    if opened is None:
        raise Unsealable("empty")
    return opened.decode()
