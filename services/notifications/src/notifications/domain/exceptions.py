from __future__ import annotations

from shared.errors import PermanentError


class NotificationsError(PermanentError):
    """Base of the notifications service's errors."""


class InvalidRequest(NotificationsError):
    """A `notification-requested` that cannot be fulfilled: dead-lettered with this reason."""
