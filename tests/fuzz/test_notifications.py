"""Notifications' internal API fuzzed with the service credential."""

from __future__ import annotations

from schemathesis import Case

from notifications.bootstrap import make_app
from notifications.config import NotificationsSettings

from .conftest import SERVICE_TOKEN
from .fuzzing import QUIET, bearer, fuzz, openapi

schema = openapi(make_app, NotificationsSettings)

pytestmark = QUIET


@schema.parametrize()
def test_notifications_answers_every_input_without_a_server_error(case: Case, services: dict[str, str]) -> None:
    fuzz(case, services["notifications"], bearer(SERVICE_TOKEN))
