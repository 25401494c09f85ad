"""Payments fuzzed as the gateway calls it (service credential) and as the pagoPA node does."""

from __future__ import annotations

from schemathesis import Case

from payments.bootstrap import make_app
from payments.config import PaymentsSettings

from .conftest import NODE_SECRET, SERVICE_TOKEN
from .fuzzing import QUIET, bearer, fuzz, openapi

schema = openapi(make_app, PaymentsSettings)

pytestmark = QUIET


@schema.parametrize()
def test_payments_answers_every_input_without_a_server_error(case: Case, services: dict[str, str]) -> None:
    if case.path.startswith("/pagopa/"):
        fuzz(case, services["payments"], {"X-PagoPA-Node-Secret": NODE_SECRET}, soap=True)
    else:
        fuzz(case, services["payments"], bearer(SERVICE_TOKEN))
