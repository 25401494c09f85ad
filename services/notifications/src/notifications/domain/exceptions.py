from __future__ import annotations

from shared.errors import PermanentError


class NotificationsError(PermanentError):
    """Base of the notifications service's errors."""


class InvalidRequest(NotificationsError):
    """A `notification-requested` that cannot be fulfilled: dead-lettered with this reason."""


class DeliveryFailed(Exception):
    """A message was not delivered (raised by the email and SMS senders).

    `retryable` only when the provider certainly did not take it (connection refused, 4xx SMTP
    reply, HTTP 429/5xx before acceptance): retrying then cannot send it twice.
    """

    def __init__(self, reason: str, retryable: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
