"""Email over SMTP (aiosmtplib), one connection per message.

Errors are sorted by whether the server certainly did not take the message: a refused or failed
connection and a 4xx reply may be retried; a 5xx reply is permanent; a timeout or a dropped
connection in the middle of the exchange is an unknown outcome, never retried (at most once).
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate

import aiosmtplib

from notifications.domain.exceptions import DeliveryFailed


class SmtpEmailSender:
    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        timeout: float = 30.0,
    ) -> None:
        self._host, self._port, self._sender = host, port, sender
        self._username, self._password = username, password
        self._starttls, self._timeout = starttls, timeout

    async def send_email(self, to: str, subject: str, body: str, message_id: str) -> str | None:
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = formatdate(usegmt=True)
        message["Message-ID"] = message_id
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(body)
        try:
            await aiosmtplib.send(
                message,
                hostname=self._host,
                port=self._port,
                username=self._username,
                password=self._password,
                start_tls=self._starttls,
                timeout=self._timeout,
            )
        except (aiosmtplib.SMTPConnectError, aiosmtplib.SMTPConnectTimeoutError, ConnectionRefusedError) as error:
            raise DeliveryFailed(f"server SMTP non raggiungibile: {type(error).__name__}", retryable=True) from error
        except aiosmtplib.SMTPRecipientsRefused as error:
            raise DeliveryFailed("destinatario rifiutato dal server SMTP", retryable=False) from error
        except aiosmtplib.SMTPResponseException as error:
            raise DeliveryFailed(f"risposta SMTP {error.code}", retryable=400 <= error.code < 500) from error
        except (aiosmtplib.SMTPException, OSError) as error:
            raise DeliveryFailed(f"esito sconosciuto: {type(error).__name__}", retryable=False) from error
        return message_id
