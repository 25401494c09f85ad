"""What the handlers need from the outside world."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

Clock = Callable[[], datetime]


class DeliveryFailed(Exception):
    """A message was not delivered.

    `retryable` only when the provider certainly did not take it (connection refused, 4xx SMTP
    reply, HTTP 429/5xx before acceptance): retrying then cannot send it twice.
    """

    def __init__(self, reason: str, retryable: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable


class EmailSender(Protocol):
    async def send_email(self, to: str, subject: str, body: str, message_id: str) -> str | None:
        """Sends one plain-text email; returns the server's id for it, if any."""


class SmsSender(Protocol):
    async def send_sms(self, to: str, body: str) -> str | None:
        """Sends one SMS; returns the provider's id for it."""


class Renderer(Protocol):
    def render(self, rule: str, channel: str, family: str, params: dict[str, Any]) -> tuple[str, str]:
        """The message's subject (empty for SMS) and text."""
