"""The tablet's credential: `<terminal id>.<secret>` in an HttpOnly, SameSite=Strict cookie
(Secure over HTTPS) limited to `/terminale`, set when the tablet pairs and kept for 400 days (the
longest a browser keeps one). The server keeps its digest only; a terminal revoked or given a
new secret by the office fails its next request, and the tablet is back at the pairing page."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Response

from attendance.config import AttendanceSettings
from attendance.domain.exceptions import TerminalNotFound
from attendance.domain.terminals import Terminal
from attendance.handlers.authenticate_terminal import authenticate_terminal
from attendance.handlers.ports import AttendanceUnitOfWork
from shared.dependencies import unit_of_work
from shared.errors import RefettorioError
from shared.web import CsrfProtection, LoginRequired

ROOT = "/terminale"
COOKIE = "refettorio_terminale"
PAIRING_COOKIE = "refettorio_abbinamento"  # the pairing form's CSRF nonce, before any credential
MAX_AGE = 400 * 24 * 3600
csrf = CsrfProtection(COOKIE)
pairing_csrf = CsrfProtection(PAIRING_COOKIE)


class NotPaired(LoginRequired):
    """The page goes to the pairing page; the script gets 401 with this message."""

    code = "terminale_non_abbinato"

    def __init__(self) -> None:
        RefettorioError.__init__(self, "Questo terminale non è abbinato: digita il codice che ti dà l'Ufficio Scuola.")


def set_cookie(response: Response, name: str, value: str, max_age: int, settings: AttendanceSettings) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path=ROOT, httponly=True, samesite="strict", secure=settings.secure_cookies
    )


def clear_cookie(response: Response, name: str, settings: AttendanceSettings) -> None:
    response.delete_cookie(name, path=ROOT, httponly=True, samesite="strict", secure=settings.secure_cookies)


async def paired(
    request: Request, uow: Annotated[AttendanceUnitOfWork, Depends(unit_of_work, use_cache=False)]
) -> Terminal | None:
    """The live terminal the tablet's cookie names, if any."""
    credential = request.cookies.get(COOKIE)
    if not credential:
        return None
    try:
        return await authenticate_terminal(uow, credential)
    except TerminalNotFound:
        return None


async def terminal(found: Annotated[Terminal | None, Depends(paired)]) -> Terminal:
    if found is None:
        raise NotPaired()
    return found


MaybeTerminalDep = Annotated[Terminal | None, Depends(paired)]
TerminalDep = Annotated[Terminal, Depends(terminal)]
