"""The accounts service's composition root."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from fastapi import FastAPI

from accounts import web
from accounts.api import accounts, auth, desk, office, services
from accounts.config import AccountsSettings
from accounts.domain import exceptions as e
from accounts.handlers.charge_for_meals import charge_for_meals
from accounts.handlers.credit_top_ups import credit_top_ups
from accounts.handlers.reverse_meals import reverse_meals
from shared.errors import RefettorioError
from shared.events import (
    BalanceChanged,
    ContactsChanged,
    MealCancelled,
    MealConsumed,
    NotificationRequested,
    PaymentReceived,
    StudentEnrolled,
)
from shared.service import Infrastructure, make_service_app
from shared.topics import Topic

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
    e.IdentityWithoutTaxCode: 400,
    e.LoginFailed: 400,
    e.NotEnrolled: 403,
    e.AccountsError: 422,
}


def make_app(settings: AccountsSettings | None = None) -> FastAPI:
    settings = settings or AccountsSettings()

    def wire(infra: Infrastructure) -> None:
        uow = infra.unit_of_work
        infra.subscribe(
            Topic.MEAL_CONSUMED,
            "charge-for-meal",
            MealConsumed,
            partial(charge_for_meals, unit_of_work=uow, settings=settings),
        )
        infra.subscribe(Topic.MEAL_CANCELLED, "reverse-meal", MealCancelled, partial(reverse_meals, unit_of_work=uow))
        infra.subscribe(
            Topic.PAYMENT_RECEIVED, "credit-top-up", PaymentReceived, partial(credit_top_ups, unit_of_work=uow)
        )
        for event in (StudentEnrolled, ContactsChanged, BalanceChanged, NotificationRequested):
            infra.document_publication(event)

    app = make_service_app(
        "accounts",
        settings,
        MIGRATIONS,
        routers=[auth.router, office.router, services.office, accounts.router, desk.router, services.router],
        wire=wire,
        error_status=ERROR_STATUS,
    )
    web.install(app, settings, ERROR_STATUS)
    return app
