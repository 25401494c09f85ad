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


class Unreachable(DeliveryFailed):
    """Nothing was sent, and sending again would not change it: the person is not on the channel
    (no IO profile for the fiscal code), or `refused` this sender there (IO's `sender_allowed`
    is false: the citizen turned the service off in the app)."""

    def __init__(self, reason: str, refused: bool) -> None:
        super().__init__(reason, retryable=False)
        self.refused = refused
