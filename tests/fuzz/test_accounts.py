"""The gateway fuzzed with the office's credential: every route answers, none with a 5xx."""

from __future__ import annotations

from schemathesis import Case

from accounts.bootstrap import make_app
from accounts.config import AccountsSettings

from .conftest import OFFICE_TOKEN
from .fuzzing import QUIET, bearer, fuzz, openapi

schema = openapi(make_app, AccountsSettings)

pytestmark = QUIET


@schema.parametrize()
def test_accounts_answers_every_input_without_a_server_error(case: Case, services: dict[str, str]) -> None:
    fuzz(case, services["accounts"], bearer(OFFICE_TOKEN))
