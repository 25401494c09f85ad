"""A real SMTP server for tests (aiosmtpd on a loopback port) that keeps what it accepts."""

from __future__ import annotations

import contextlib
import email
import email.policy
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from testkit.processes import free_port


class Mailbox:
    """An aiosmtpd handler keeping every message it accepted."""

    def __init__(self) -> None:
        self.port = 0
        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [m for m in self.messages if m["To"] == address]


@contextlib.contextmanager
def serving() -> Iterator[Mailbox]:
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port
    try:
        yield box
    finally:
        controller.stop()
