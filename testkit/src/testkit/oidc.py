"""A real OpenID Connect provider process standing in for the Comune's SPID/CIE gateway
(`oidc-provider-mock`: authorization code + PKCE, signed ID tokens, any client id), and the
login a person makes through it, for tests that speak HTTP without a browser."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from testkit.processes import ServiceProcess, free_port, wait_ready


def spid_claims(tax_code: str, first_name: str, last_name: str) -> dict[str, str]:
    """What a SPID gateway sends: `fiscalNumber` with the `TINIT-` prefix, SPID's name attributes."""
    return {"fiscalNumber": f"TINIT-{tax_code}", "name": first_name, "familyName": last_name}


class ProviderProcess(ServiceProcess):
    def add(self, sub: str, claims: dict[str, Any]) -> None:
        """An identity the person can pick on the provider's page (by its `sub`)."""
        response = httpx.put(f"{self.url}/users/{quote(sub, safe='')}", json=claims, timeout=10)
        response.raise_for_status()


def launch(log: Path, users: Sequence[dict[str, Any]] = (), port: int | None = None) -> ProviderProcess:
    """`users`: claims with a `sub` each, offered as one-click identities on the provider's page."""
    port = port or free_port()
    command = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)]
    command.append("--require-nonce")  # as a real gateway would: no ID token without a nonce
    for user in users:
        command += ["--user-claims", json.dumps(user)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    provider = ProviderProcess("oidc-provider", f"http://127.0.0.1:{port}", process, log)
    wait_ready(provider, timeout=60, path="/.well-known/openid-configuration")
    return provider


@contextlib.contextmanager
def serving(log: Path, users: Sequence[dict[str, Any]] = ()) -> Iterator[ProviderProcess]:
    provider = launch(log, users)
    try:
        yield provider
    finally:
        provider.stop()


async def log_in(portal: httpx.AsyncClient, sub: str, method: str = "spid") -> httpx.Response:
    """Logs in at the portal as a person would, through the provider's page: the portal sends
    the browser to the provider, the person picks the identity `sub`, the provider sends them
    back with a code, the portal verifies it. `portal` keeps the cookies; returns the last answer."""
    start = await portal.get(f"/accedi/{method}")
    assert start.status_code == 302, start.text
    async with httpx.AsyncClient(timeout=10) as at_provider:
        consent = await at_provider.post(start.headers["location"], data={"sub": sub})
    assert consent.status_code == 302, consent.text
    return await portal.get(consent.headers["location"])
