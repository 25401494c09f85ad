"""Who acts behind a call between services: the gateway vouches for the person, the others verify.

People reach only the gateway (accounts). When it calls attendance, payments or notifications
for someone, it sends the service token *and* a short-lived token naming the person, in the
header `Refettorio-Person`: a JWT signed with accounts' own Ed25519 key (JWS algorithm
`Ed25519`, RFC 9864), valid for a minute, for one audience (the service called), with the
person's user id and role. The called service verifies it with accounts' public key and records
`Person.author` where it records who did something. Only accounts holds the private key: another
service, or someone who learnt the service token, cannot speak for a person.

Keys: accounts derives its private key from a secret string (`ACCOUNTS_PERSON_SIGNING_KEY`,
checked like every secret in production); the others get the public key
(`<SERVICE>_PERSON_VERIFY_KEY`, base64url), which `python -m shared.acting public-key` prints
from the secret read on standard input. Without configuration both sides use a development pair,
which production refuses.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import sys
import time
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey
from joserfc.jwt import JWTClaimsRegistry

HEADER = "Refettorio-Person"
ISSUER = "refettorio-accounts"
ALGORITHM = "Ed25519"
LIFETIME_SECONDS = 60
DEV_SIGNING_KEY = "dev-person-signing-key"
AUTOMATION = "automation"  # the office's static token: no person, a program
STAFF_ROLES = frozenset({"operator", "manager", "admin", AUTOMATION})
ROLES = STAFF_ROLES | {"parent"}


class InvalidPerson(ValueError):
    """The header names nobody we can trust: bad signature, wrong audience, expired, malformed."""


@dataclass(frozen=True)
class Person:
    """The person a call is made for, as the gateway vouches: a user id (or `automation`), a
    role, and for a parent the family account."""

    user_id: str
    role: str
    account_id: str | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def author(self) -> str:
        """How records name them: `operator:<user id>`, `parent:<user id>`, `automation`.
        Pseudonymous: names stay with accounts, which maps the id to the person."""
        return AUTOMATION if self.role == AUTOMATION else f"{self.role}:{self.user_id}"


def _private_key(secret: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(f"refettorio-person:{secret}".encode()).digest())


def public_key_of(signing_secret: str) -> str:
    """The base64url public key that verifies what `signing_secret` signs."""
    raw = _private_key(signing_secret).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


DEV_VERIFY_KEY = public_key_of(DEV_SIGNING_KEY)


def valid_verify_key(value: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))) == 32
    except ValueError:
        return False


class PersonSigner:
    """Accounts' half: mints the header for one call."""

    def __init__(self, signing_secret: str) -> None:
        self._key = OKPKey.import_key(_private_key(signing_secret))

    def mint(self, person: Person, audience: str) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": audience,
            "sub": person.user_id,
            "role": person.role,
            "iat": now,
            "exp": now + LIFETIME_SECONDS,
            "jti": secrets.token_urlsafe(12),
        }
        if person.account_id is not None:
            claims["account_id"] = person.account_id
        return jwt.encode({"alg": ALGORITHM}, claims, self._key, algorithms=[ALGORITHM])


class PersonVerifier:
    """The called service's half: the person a header names, or `InvalidPerson`."""

    def __init__(self, verify_key: str, audience: str, leeway_seconds: int = 5) -> None:
        self._key = OKPKey.import_key({"kty": "OKP", "crv": "Ed25519", "x": verify_key})
        self._claims = JWTClaimsRegistry(
            leeway=leeway_seconds,
            iss={"essential": True, "value": ISSUER},
            aud={"essential": True, "value": audience},
            exp={"essential": True},
            sub={"essential": True},
            role={"essential": True, "values": sorted(ROLES)},
        )

    def verify(self, token: str) -> Person:
        try:
            claims = jwt.decode(token, self._key, algorithms=[ALGORITHM]).claims
            self._claims.validate(claims)
        except (JoseError, ValueError, TypeError) as error:
            raise InvalidPerson(type(error).__name__) from error
        account = claims.get("account_id")
        return Person(str(claims["sub"]), str(claims["role"]), str(account) if account else None)


def main(argv: list[str]) -> int:
    """`python -m shared.acting public-key < secret`: the verify key for the other services."""
    if argv != ["public-key"]:
        print("usage: python -m shared.acting public-key < signing-secret", file=sys.stderr)
        return 2
    print(public_key_of(sys.stdin.read().strip()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
