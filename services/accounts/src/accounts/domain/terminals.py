"""The schools' canteen tablets as the office sees them (attendance keeps them): registered for
one school, paired with a short code shown once, rotated (a new code, the old tablet logged
out) and revoked. Pure data."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class TerminalState(StrEnum):
    WAITING = "in_attesa"  # a pairing code not used yet
    CODE_EXPIRED = "codice_scaduto"
    PAIRED = "abbinato"
    REVOKED = "revocato"


@dataclass(frozen=True)
class SchoolTerminal:
    terminal_id: uuid.UUID
    school_id: str
    label: str
    created_at: datetime
    paired_at: datetime | None
    revoked_at: datetime | None
    pairing_expires_at: datetime | None

    def state(self, now: datetime) -> TerminalState:
        if self.revoked_at is not None:
            return TerminalState.REVOKED
        if self.pairing_expires_at is not None:
            return TerminalState.WAITING if self.pairing_expires_at > now else TerminalState.CODE_EXPIRED
        return TerminalState.PAIRED


@dataclass(frozen=True)
class TerminalsOverview:
    terminals: list[SchoolTerminal]
    schools: list[str]  # attendance's: children enrolled this school year, or a terminal already


@dataclass(frozen=True)
class PairingCode:
    """Shown once: typed on the school's tablet at `pairing_url` before `expires_at`. The
    credential for automation (`token`) is shown once too, on the JSON API only."""

    terminal_id: uuid.UUID
    school_id: str
    label: str
    code: str
    expires_at: datetime
    pairing_url: str
    token: str
