"""School terminals: registered by the office for one school, acting only for that school.

A terminal's credential is `<terminal id>.<secret>`; the secret is shown once and kept as a digest.
A tablet gets it by pairing: the office is shown a short code, valid a few minutes, that the
operator types on the tablet; pairing gives the terminal a new secret, which only the tablet
holds (in an HttpOnly cookie), and spends the code. The code too is kept as a digest only.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from attendance.domain.exceptions import NotThisSchool, TerminalNotFound
from shared.secrets import digest

# Crockford's base 32: digits and capitals without I, L, O and U, which a person misreads.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8  # 40 bits: guessing one of a few codes live for minutes is out of reach
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})


@dataclass(frozen=True)
class Terminal:
    terminal_id: uuid.UUID
    school_id: str
    label: str = ""  # how the office tells a school's tablets apart ("Refettorio piano terra")

    @property
    def actor(self) -> str:
        """How the records it makes name it (`closed_by`, `posted_by`...)."""
        return f"terminal:{self.terminal_id}"

    def credential(self, secret: str) -> str:
        return f"{self.terminal_id}.{secret}"

    def acts_for(self, school_id: str) -> None:
        if self.school_id != school_id:
            raise NotThisSchool()


@dataclass(frozen=True)
class Pairing:
    """A pairing code as shown to the office once, and until when the tablet may use it."""

    code: str
    expires_at: datetime

    @classmethod
    def issue(cls, now: datetime, valid_for: timedelta) -> Pairing:
        return cls("".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)), now + valid_for)

    @property
    def shown(self) -> str:
        """`K7QM-3XPA`: two groups of four, easier to read out and type."""
        return f"{self.code[:4]}-{self.code[4:]}"

    @property
    def kept(self) -> PendingPairing:
        return PendingPairing(digest(self.code), self.expires_at)


@dataclass(frozen=True)
class PendingPairing:
    """A pairing code as kept: its digest, until when it pairs."""

    code_digest: str
    expires_at: datetime


@dataclass(frozen=True)
class IssuedCredential:
    """A terminal and its credential, shown once; with the code that pairs a tablet, when the
    office registered the terminal or gave it a new secret."""

    terminal: Terminal
    token: str
    pairing: Pairing | None = None


@dataclass(frozen=True)
class TerminalRecord:
    """A terminal as the office lists it."""

    terminal: Terminal
    created_at: datetime
    paired_at: datetime | None
    revoked_at: datetime | None
    pairing_expires_at: datetime | None  # a code not used yet (it may have expired)


def typed_code(typed: str) -> str:
    """The code as issued, from what the operator typed: case, spaces and dashes do not matter,
    and O reads as 0, I and L as 1."""
    return typed.strip().upper().translate(_READ_AS)


def parse_credential(token: str) -> tuple[uuid.UUID, str]:
    """`<terminal id>.<secret>`; anything else names no terminal."""
    terminal_id, _, secret = token.partition(".")
    try:
        return uuid.UUID(terminal_id), secret
    except ValueError:
        raise TerminalNotFound() from None
