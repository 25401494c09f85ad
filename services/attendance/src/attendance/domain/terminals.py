"""School terminals: registered by the office for one school, acting only for that school.

A terminal's credential is `<terminal id>.<secret>`; the secret is shown once and kept as a digest.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from attendance.domain.exceptions import NotThisSchool, TerminalNotFound


@dataclass(frozen=True)
class Terminal:
    terminal_id: uuid.UUID
    school_id: str

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
class IssuedCredential:
    """A terminal and its credential, shown once."""

    terminal: Terminal
    token: str


def parse_credential(token: str) -> tuple[uuid.UUID, str]:
    """`<terminal id>.<secret>`; anything else names no terminal."""
    terminal_id, _, secret = token.partition(".")
    try:
        return uuid.UUID(terminal_id), secret
    except ValueError:
        raise TerminalNotFound() from None
