"""The session cookie's flags follow where the portal is served."""

from datetime import UTC, datetime

from fastapi import Response

from accounts.config import AccountsSettings
from accounts.domain.users import Principal, Role
from accounts.handlers.auth import Session
from accounts.web.session import set_session_cookie


def cookie(portal_url: str) -> str:
    response = Response()
    settings = AccountsSettings(database_url="postgresql+asyncpg://x/y", portal_url=portal_url)
    set_session_cookie(response, Session("tok", datetime.now(UTC), Principal(None, Role.PARENT)), settings)
    return response.headers["set-cookie"]


def test_over_https_the_cookie_is_secure_too() -> None:
    secure = cookie("https://mensa.comune.example.it")
    assert "HttpOnly" in secure and "SameSite=lax" in secure and "Secure" in secure
    assert "Secure" not in cookie("http://127.0.0.1:8001")
