"""The Comune's SPID/CIE gateway, to which the portal is an OpenID Connect client (authlib).

Authorization code flow with PKCE (S256), `state` and `nonce`: authlib keeps the three in the
short-lived signed login cookie (Starlette's session) and checks them on the way back. The ID
token's signature is verified against the provider's JWKS, and its claims (issuer = the
configured one, audience = our client id, expiry, nonce, at_hash) before anything is trusted.
When the ID token lacks the fiscal code, the userinfo endpoint is asked (same `sub` required).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import httpx
import joserfc.errors
from authlib.integrations.starlette_client import OAuth, OAuthError
from fastapi import Request, Response

from accounts.config import AccountsSettings
from accounts.domain.exceptions import LoginFailed
from shared.http import HttpError


def _unavailable() -> HttpError:
    return HttpError(
        503, "accesso_non_disponibile", "Il servizio di accesso con SPID e CIE non risponde: riprova tra poco."
    )


class IdentityProvider:
    def __init__(self, settings: AccountsSettings) -> None:
        self._settings = settings
        self._client: Any = OAuth().register(
            "comune",
            client_id=settings.oidc_client_id,
            client_secret=settings.oidc_client_secret,
            server_metadata_url=f"{settings.oidc_issuer.rstrip('/')}/.well-known/openid-configuration",
            client_kwargs={"scope": settings.oidc_scope, "code_challenge_method": "S256"},
        )

    async def start(self, request: Request, redirect_uri: str, params: dict[str, str]) -> Response:
        try:
            response: Response = await self._client.authorize_redirect(request, redirect_uri, **params)
        except httpx.HTTPError as error:
            raise _unavailable() from error
        return response

    async def claims(self, request: Request) -> dict[str, Any]:
        """The verified claims of the person the provider sent back, or `LoginFailed`."""
        options = {"iss": {"essential": True, "values": [self._settings.oidc_issuer.rstrip("/")]}}
        try:
            token = await self._client.authorize_access_token(request, claims_options=options)
            claims = dict(token.get("userinfo") or {})
            if claims and not any(name in claims for name in self._settings.oidc_fiscal_code_claims):
                claims = await self._with_userinfo(token, claims)
        except (OAuthError, joserfc.errors.JoseError, httpx.HTTPError, KeyError, ValueError) as error:
            raise LoginFailed() from error
        if not claims:
            raise LoginFailed()  # no ID token: not an OpenID Connect answer
        return claims

    async def _with_userinfo(self, token: dict[str, Any], claims: dict[str, Any]) -> dict[str, Any]:
        found = dict(await self._client.userinfo(token=token))
        if found.get("sub") != claims.get("sub"):
            raise LoginFailed()
        return found | claims

    async def logout_url(self, after: str) -> str | None:
        """The provider's end-session page (RP-initiated logout), when it has one."""
        try:
            metadata = await self._client.load_server_metadata()
        except httpx.HTTPError:
            return None
        endpoint = metadata.get("end_session_endpoint")
        if not endpoint:
            return None
        query = urlencode({"client_id": self._settings.oidc_client_id, "post_logout_redirect_uri": after})
        return f"{endpoint}?{query}"
