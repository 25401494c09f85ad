"""A message from the office to families (Comunicazioni) and who it is for. Pure.

The audience is every family with a child enrolled (`everyone`), a school's, a class's of a
school, or families chosen one by one; notifications resolves it from its own projections when it
counts and when it sends, so the count shown is the one sent to.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from accounts.domain.exceptions import InvalidAudience
from shared.events import Channel


@dataclass(frozen=True)
class Audience:
    everyone: bool = False
    school_id: str | None = None
    class_id: str | None = None  # within `school_id`
    account_ids: tuple[uuid.UUID, ...] = ()

    def __post_init__(self) -> None:
        if self.class_id is not None and self.school_id is None:
            raise InvalidAudience("Indica la scuola della classe.")
        if not (self.everyone or self.school_id or self.account_ids):
            raise InvalidAudience("Indica a chi va il messaggio.")

    def described(self) -> str:
        """In Italian, as the office's screens and audit log say it."""
        if self.everyone:
            return "tutte le famiglie"
        if self.class_id is not None:
            return f"classe {self.class_id} della scuola {self.school_id}"
        if self.school_id is not None:
            return f"scuola {self.school_id}"
        return f"{len(self.account_ids)} famiglie scelte" if len(self.account_ids) != 1 else "1 famiglia scelta"

    def fields(self) -> dict[str, Any]:
        """As `notification-requested` names it."""
        return {
            "everyone": self.everyone,
            "school_id": self.school_id,
            "class_id": self.class_id,
            "account_ids": list(self.account_ids),
        }


@dataclass(frozen=True)
class Communication:
    audience: Audience
    subject: str
    text: str
    channels: tuple[Channel, ...]

    def logged(self) -> dict[str, Any]:
        """What the audit log keeps of it (and the communications' list shows)."""
        return {
            "destinatari": self.audience.described(),
            "oggetto": self.subject,
            "testo": self.text,
            "canali": list(self.channels),
        }
