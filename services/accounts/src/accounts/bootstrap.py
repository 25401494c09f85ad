"""The accounts service's composition root."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from fastapi import FastAPI

from accounts.api import accounts, office
from accounts.config import AccountsSettings
from accounts.domain.exceptions import AccountNotFound, AccountsError, DuplicateHolder, DuplicateStudent
from accounts.handlers.charge_for_meals import charge_for_meals
from accounts.handlers.credit_top_ups import credit_top_ups
from shared.events import (
    BalanceChanged,
    ContactsChanged,
    MealConsumed,
    NotificationRequested,
    PaymentReceived,
    StudentEnrolled,
)
from shared.service import Infrastructure, make_service_app
from shared.topics import Topic

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def make_app(settings: AccountsSettings | None = None) -> FastAPI:
    settings = settings or AccountsSettings()

    def wire(infra: Infrastructure) -> None:
        uow = infra.unit_of_work
        infra.subscribe(
            Topic.MEAL_CONSUMED,
            "charge-for-meal",
            MealConsumed,
            partial(charge_for_meals, unit_of_work=uow, meal_price_cents=settings.meal_price_cents),
        )
        infra.subscribe(
            Topic.PAYMENT_RECEIVED, "credit-top-up", PaymentReceived, partial(credit_top_ups, unit_of_work=uow)
        )
        for event in (StudentEnrolled, ContactsChanged, BalanceChanged, NotificationRequested):
            infra.document_publication(event)

    return make_service_app(
        "accounts",
        settings,
        MIGRATIONS,
        routers=[office.router, accounts.router],
        wire=wire,
        error_status={AccountNotFound: 404, DuplicateHolder: 409, DuplicateStudent: 409, AccountsError: 422},
    )
