"""Messages in the app IO through IO's Services API (`io-services-api.yaml`, v4.1.1).

Each message is two requests, both with the service's key in `Ocp-Apim-Subscription-Key`:
1. `POST {base_url}/profiles` `{"fiscal_code"}`: 200 `{"sender_allowed": ...}`, or 404 when the
   citizen is not on IO. Not on IO, or `sender_allowed: false` (the citizen turned the service
   off in the app): nothing is sent, `Unreachable`.
2. `POST {base_url}/messages` `{"fiscal_code", "content": {"subject", "markdown", "due_date",
   "payment_data": {"notice_number", "amount", "payee": {"fiscal_code"}, "invalid_after_due_date"}}}`:
   201 `{"id"}`.
The fiscal code travels in the body, never in a URL (which proxies and access logs keep).

At most once. The profile request sends nothing, so whatever becomes of it may be retried; the
message is retried only when IO certainly did not take it: no connection, 429, 502/503. A
timeout after the message left, or any other answer, is final. IO allows a key a number of
requests per window (150 every 5 s, historically): a leaky bucket paces this process's requests
below it, and a 429 holds them all for a window before the next.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC
from typing import Any

import httpx
from aiolimiter import AsyncLimiter

from notifications.domain.exceptions import DeliveryFailed, Unreachable
from notifications.domain.io import IoMessage

_NOT_TAKEN = {429, 502, 503}
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class IoMessageSender:
    def __init__(
        self,
        client: httpx.AsyncClient,
        base_url: str,
        api_key: str,
        requests_per_window: int = 150,
        window_seconds: float = 5.0,
    ) -> None:
        self._client = client
        self._base = base_url.rstrip("/")
        self._headers = {"Ocp-Apim-Subscription-Key": api_key}
        self._pace = AsyncLimiter(requests_per_window, window_seconds)
        self._window = window_seconds
        self._held_until = 0.0

    async def send_io(self, fiscal_code: str, message: IoMessage) -> str | None:
        await self._check_profile(fiscal_code)
        response = await self._post("/messages", _new_message(fiscal_code, message), sent=True)
        if response.status_code == 201:
            found = _json(response).get("id")
            return str(found) if found else None
        raise DeliveryFailed(_refusal("messaggio", response), retryable=response.status_code in _NOT_TAKEN)

    async def _check_profile(self, fiscal_code: str) -> None:
        response = await self._post("/profiles", {"fiscal_code": fiscal_code}, sent=False)
        if response.status_code == 404:
            raise Unreachable("non iscritto all'app IO", refused=False)
        if response.status_code != 200:
            retry = response.status_code in _NOT_TAKEN or response.status_code >= 500
            raise DeliveryFailed(_refusal("profilo", response), retryable=retry)
        if _json(response).get("sender_allowed") is not True:
            raise Unreachable("servizio disattivato dal cittadino nell'app IO", refused=True)

    async def _post(self, path: str, body: dict[str, Any], sent: bool) -> httpx.Response:
        """`sent`: whether a request that may have left counts as delivered (unknown outcome)."""
        await asyncio.sleep(max(0.0, self._held_until - time.monotonic()))
        async with self._pace:
            try:
                response = await self._client.post(self._base + path, json=body, headers=self._headers)
            except _NOT_SENT as error:
                raise DeliveryFailed(f"app IO non raggiungibile: {type(error).__name__}", retryable=True) from error
            except httpx.HTTPError as error:
                outcome = "esito sconosciuto" if sent else "profilo non letto"
                raise DeliveryFailed(f"app IO, {outcome}: {type(error).__name__}", retryable=not sent) from error
        if response.status_code == 429:
            self._held_until = time.monotonic() + self._window
        return response


def _new_message(fiscal_code: str, message: IoMessage) -> dict[str, Any]:
    content: dict[str, Any] = {"subject": message.subject, "markdown": message.markdown}
    if message.due_date is not None:
        content["due_date"] = message.due_date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if message.payment is not None:
        content["payment_data"] = {
            "notice_number": message.payment.notice_number,
            "amount": message.payment.amount_cents,
            "payee": {"fiscal_code": message.payment.payee_fiscal_code},
            "invalid_after_due_date": True,  # payments refuses a notice past its day (PAA_PAGAMENTO_SCADUTO)
        }
    return {"fiscal_code": fiscal_code, "feature_level_type": "STANDARD", "content": content}


def _refusal(what: str, response: httpx.Response) -> str:
    """IO's answer, without its `detail` (which may quote the request)."""
    title = str(_json(response).get("title", ""))[:100]
    return f"app IO, {what}: HTTP {response.status_code} {title}".strip()


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def configured(base_url: str, api_key: str | None) -> bool:
    """A key, and not a development placeholder (`dev-...`) that would be sent to the real IO."""
    return api_key is not None and not (api_key.startswith("dev-") and httpx.URL(base_url).host.endswith("pagopa.it"))


class UnconfiguredIo:
    """Stands in for IO while the service has no IO key: nothing is sent (each message fails at
    once, recorded as such). No message is queued for IO then, but some may be from before."""

    async def send_io(self, fiscal_code: str, message: IoMessage) -> str | None:
        raise DeliveryFailed("app IO non configurata (nessuna chiave del servizio)", retryable=False)
