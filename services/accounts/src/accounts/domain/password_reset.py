"""A staff member's forgotten password (only where staff password logins are on): a link to
their own address, valid once and for `LIFETIME`. Pure.

The link's token opens the account, so it never travels in clear: the `notification-requested`
that asks notifications to send it carries the link sealed for notifications alone
(`shared.sealing`), and accounts keeps only the token's digest.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from shared.events import NotificationRequested, Template
from shared.sealing import seal

LIFETIME = timedelta(minutes=30)
PATH = "/ufficio/password/nuova"


@dataclass(frozen=True)
class ResetLinks:
    portal_url: str
    sealing_key: str

    def message(self, email: str, token: str) -> NotificationRequested:
        """The request for the email, to the person's own address, the link sealed."""
        link = f"{self.portal_url}{PATH}?token={token}"
        return NotificationRequested(
            request_id=uuid.uuid4(),
            email=email,
            template=Template.PASSWORD_RESET.value,
            params={"sealed_reset_url": seal(link, self.sealing_key), "minutes": LIFETIME // timedelta(minutes=1)},
            channels=["email"],
        )
