"""SMS through Twilio's Programmable Messaging REST API (the shape of 2010-04-01).

Request: `POST {base_url}/2010-04-01/Accounts/{AccountSid}/Messages.json`, HTTP basic auth with
the Account SID and the Auth Token, form-encoded fields `To` (E.164, e.g. `+393331234567`),
`From` (a Twilio number or an alphanumeric sender id) and `Body`. Answer: `201 Created` with the
Message resource as JSON (`sid`, `status`: "queued"...); errors as JSON `{code, message,
more_info, status}`.

Retried only when Twilio certainly did not accept the message: no connection, 429 (too many
requests), 502/503. Any other 4xx is permanent (21211: invalid `To`...). A timeout after the
request left, or another 5xx, is an unknown outcome and is not retried (at most once).
"""

from __future__ import annotations

import httpx

from notifications.domain.exceptions import DeliveryFailed

_RETRYABLE = {429, 502, 503}


class TwilioSmsSender:
    def __init__(
        self, client: httpx.AsyncClient, base_url: str, account_sid: str, auth_token: str, sender: str
    ) -> None:
        self._client = client
        self._url = f"{base_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
        self._auth = (account_sid, auth_token)
        self._sender = sender

    async def send_sms(self, to: str, body: str) -> str | None:
        form = {"To": to.replace(" ", ""), "From": self._sender, "Body": body}
        try:
            response = await self._client.post(self._url, data=form, auth=self._auth)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as error:
            raise DeliveryFailed(f"fornitore SMS non raggiungibile: {type(error).__name__}", retryable=True) from error
        except httpx.HTTPError as error:
            raise DeliveryFailed(f"esito sconosciuto: {type(error).__name__}", retryable=False) from error
        if response.status_code in (200, 201):
            sid = response.json().get("sid")
            return str(sid) if sid else None
        raise DeliveryFailed(
            f"fornitore SMS: HTTP {response.status_code} {_error_code(response)}".strip(),
            retryable=response.status_code in _RETRYABLE,
        )


def _error_code(response: httpx.Response) -> str:
    try:
        return str(response.json().get("code", ""))
    except ValueError:
        return ""


class UnconfiguredSms:
    """Stands in for Twilio while the credentials are the development placeholders: nothing is
    sent to the real provider with them (each SMS fails at once, recorded as such)."""

    async def send_sms(self, to: str, body: str) -> str | None:
        raise DeliveryFailed("fornitore SMS non configurato (credenziali di sviluppo)", retryable=False)


def placeholder(base_url: str, account_sid: str) -> bool:
    return account_sid.startswith("dev-") and httpx.URL(base_url).host.endswith("twilio.com")
