"""The accounts service's composition root."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from accounts import consumers
from accounts.api import accounts, auth, office, services
from accounts.config import AccountsSettings
from accounts.domain import exceptions as e
from shared.errors import RefettorioError
from shared.events import BalanceChanged, ContactsChanged, NotificationRequested, StudentEnrolled
from shared.service import ServiceParts, make_service_app

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
ERROR_STATUS: dict[type[RefettorioError], int] = {
    e.AccountNotFound: 404,
    e.StudentNotFound: 404,
    e.DuplicateHolder: 409,
    e.DuplicateStudent: 409,
    e.DuplicateUser: 409,
    e.IdempotencyConflict: 409,
    e.YearClosed: 409,
    e.InvalidCredentials: 401,
    e.LoginLocked: 429,
    e.InvalidResetToken: 400,
    e.AccountsError: 422,
}


def make_app(settings: AccountsSettings | None = None) -> FastAPI:
    settings = settings or AccountsSettings()
    return make_service_app(
        "accounts",
        settings,
        ServiceParts(
            MIGRATIONS,
            routers=[auth.router, office.router, services.office, accounts.router, services.router],
            rules=consumers.rules(settings),
            publishes=[StudentEnrolled, ContactsChanged, BalanceChanged, NotificationRequested],
            error_status=ERROR_STATUS,
        ),
    )
