"""What the routes and pages of accounts depend on: settings, the unit of work, the other
services, passwords, and who is asking."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import date
from typing import Annotated, TypeVar

from fastapi import Depends, Header, Request

from accounts.config import AccountsSettings
from accounts.domain.users import Principal, Role
from accounts.handlers.auth import authenticated, session_check
from accounts.handlers.ports import AccountsUnitOfWork, DeadLetters, Gateways, Passwords
from accounts.handlers.queries import Caller, visible_account
from shared import local_time
from shared.db import ConnectionLease
from shared.dependencies import LeaseDep, TokenDep, infra_of, settings_of, unit_of_work
from shared.http import HttpError, same_secret, token_of, unauthorised

AUTOMATION_NAME = "Automazione (token dell'ufficio)"
Found = TypeVar("Found")


def today() -> date:
    """The municipality's today (a day is the school's, in Italy)."""
    return local_time.today()


SettingsDep = Annotated[AccountsSettings, Depends(settings_of(AccountsSettings))]
UowDep = Annotated[AccountsUnitOfWork, Depends(unit_of_work)]


def gateways_for(request: Request, who: Principal) -> Gateways:
    """The other services' internal APIs (`bootstrap.gateways`), called for `who`."""
    bound: Gateways = request.app.state.gateways(who.person)
    return bound


async def passwords(request: Request) -> Passwords:
    found: Passwords = request.app.state.passwords
    return found


PasswordsDep = Annotated[Passwords, Depends(passwords)]


async def dead_letters(request: Request) -> DeadLetters:
    """What waits in Kafka's dead-letter topics (`bootstrap`: `KafkaDeadLetters`)."""
    found: DeadLetters = request.app.state.dead_letters
    return found


DeadLettersDep = Annotated[DeadLetters, Depends(dead_letters)]


def auth_parts(request: Request, lease: ConnectionLease) -> tuple[AccountsUnitOfWork, AccountsSettings]:
    """What authenticating needs, read off the app (not dependencies: see `shared.dependencies`):
    a unit of work of its own (the route's is for the route's handler) on the request's
    connection, and the settings."""
    infra = infra_of(request)
    settings = infra.settings
    assert isinstance(settings, AccountsSettings)
    uow: AccountsUnitOfWork = infra.unit_of_work(lease)
    return uow, settings


async def principal(request: Request, lease: LeaseDep, token: TokenDep) -> Principal:
    return await bearer_principal(request, lease, token)


async def bearer_principal(request: Request, lease: ConnectionLease, token: str | None) -> Principal:
    """A session token (a staff password login, or the session of a SPID/CIE login in the portal),
    or the office's static token (automation and demo)."""
    uow, settings = auth_parts(request, lease)
    caller = caller_of(token, settings)
    if isinstance(caller, Principal):
        return caller
    found = await authenticated(uow, caller)
    if found is None:
        raise unauthorised()
    return found


def caller_of(token: str | None, settings: AccountsSettings) -> Caller:
    """The office's static token as its principal, or the session to check; 401 for none, or for
    the service token (it is for services: a person's route never takes it)."""
    if token is None or same_secret(token, settings.service_token):
        raise unauthorised()
    if same_secret(token, settings.office_token):
        return Principal(None, Role.AUTOMATION, name=AUTOMATION_NAME)
    return session_check(token, settings.session_rules)


PrincipalDep = Annotated[Principal, Depends(principal)]


# The header `principal` reads, as a plain parameter of the routes that take no dependency.
Authorization = Annotated[str | None, Header()]


@contextlib.asynccontextmanager
async def asking(request: Request, authorization: str | None) -> AsyncIterator[tuple[Caller, AccountsUnitOfWork]]:
    """Who is asking (`caller_of`: a session is checked in the read's own statement, by
    `queries.account_for` and `movements_for`) and a unit of work on a connection of the request,
    for the hot reads: routes without dependencies, because FastAPI's solving of the usual three
    (the lease, the principal, the unit of work) cost those requests more than their own work."""
    infra = infra_of(request)
    settings = infra.settings
    assert isinstance(settings, AccountsSettings)
    caller = caller_of(token_of(authorization), settings)
    lease = ConnectionLease(infra.engine)
    try:
        yield caller, infra.unit_of_work(lease)
    finally:
        await lease.release()


def live(found: Found | None) -> Found:
    """What a hot read found; 401 if the caller's session was not live."""
    if found is None:
        raise unauthorised()
    return found


async def api_gateways(request: Request, who: PrincipalDep) -> Gateways:
    return gateways_for(request, who)


GatewaysDep = Annotated[Gateways, Depends(api_gateways)]


async def staff(who: PrincipalDep) -> Principal:
    """Office routes: staff only (what each role may do is the handlers' to say)."""
    if not who.is_staff:
        raise HttpError(403, "accesso_negato", "Operazione riservata all'Ufficio Scuola.")
    return who


StaffDep = Annotated[Principal, Depends(staff)]


async def readable_account(account_id: uuid.UUID, who: PrincipalDep) -> uuid.UUID:
    return visible_account(account_id, who)


AccountDep = Annotated[uuid.UUID, Depends(readable_account)]
