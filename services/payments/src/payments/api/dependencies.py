"""What the payments routes get from FastAPI: the unit of work, the settings and the values built
from them, the clock, and pagoPA Checkout."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from payments.adapters.http_checkout import HttpCheckout
from payments.config import PaymentsSettings
from payments.domain.creditor import Creditor
from payments.domain.station import Station
from payments.handlers.ports import Checkout, Clock, PaymentsUnitOfWork
from shared.dependencies import settings_of, unit_of_work

UowDep = Annotated[PaymentsUnitOfWork, Depends(unit_of_work)]
SettingsDep = Annotated[PaymentsSettings, Depends(settings_of(PaymentsSettings))]


def clock(request: Request) -> Clock:
    """The app's clock (`bootstrap.make_app(clock=...)`; tests may pin it)."""
    chosen: Clock = request.app.state.clock
    return chosen


def creditor(settings: SettingsDep) -> Creditor:
    return settings.creditor()


def station(settings: SettingsDep) -> Station:
    return settings.station()


def checkout(settings: SettingsDep) -> Checkout:
    return HttpCheckout(settings.checkout_api_url, settings.checkout_subscription_key)


ClockDep = Annotated[Clock, Depends(clock)]
CreditorDep = Annotated[Creditor, Depends(creditor)]
StationDep = Annotated[Station, Depends(station)]
CheckoutDep = Annotated[Checkout, Depends(checkout)]
