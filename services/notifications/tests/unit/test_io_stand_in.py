"""The IO stand-in the tests and `make up` send to: it must hold requests to IO's official
document, or the IO tests would prove nothing. And `make up`'s copy of the document is the
official one, byte for byte."""

import json
from typing import Any

import pytest

from testkit.io import COPY, FakeIo, official_document

KEY = "stand-in-key"
HEADERS = {"ocp-apim-subscription-key": KEY, "content-type": "application/json"}
CITIZEN = "RSSMRA80A01H501U"


def test_make_ups_copy_is_the_official_document() -> None:
    assert COPY.read_bytes() == official_document().read_bytes()


@pytest.fixture
def app_io() -> FakeIo:
    return FakeIo(official_document(), KEY, citizens={CITIZEN: True})


def message(**content: Any) -> dict[str, Any]:
    notice = {"notice_number": "302202500000123451", "amount": 2500, "payee": {"fiscal_code": "01234567897"}}
    body = {"subject": "Avviso di pagamento", "markdown": "m" * 80, "payment_data": notice} | content
    return {"fiscal_code": CITIZEN, "content": body}


def post(app_io: FakeIo, path: str, body: Any, headers: dict[str, str] = HEADERS) -> tuple[int, Any]:
    return app_io.receive("POST", f"/api/v1{path}", headers, json.dumps(body).encode())


def test_a_request_as_the_document_says_is_answered_as_io_does(app_io: FakeIo) -> None:
    assert post(app_io, "/profiles", {"fiscal_code": CITIZEN}) == (
        200,
        {"sender_allowed": True, "preferred_languages": ["it_IT"]},
    )
    status, created = post(app_io, "/messages", message(due_date="2026-12-31T22:59:59.000Z"))
    assert status == 201 and [m["id"] for m in app_io.to(CITIZEN)] == [created["id"]]
    assert app_io.invalid() == []


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (message(subject="Avviso"), "['content']['subject']: 'Avviso' is too short"),
        (message(markdown="m" * 79), "['content']['markdown']"),
        (message(due_date="2026-12-31"), "is not a 'UTCISODateFromString'"),
        (message(payment_data={"notice_number": "4" * 18, "amount": 2500}), "['notice_number']: '444444444444444444'"),
        (message(payment_data={"notice_number": "3" * 18, "amount": 0}), "0 is less than the minimum of 1"),
        ({**message(), "fiscal_code": "rssmra80a01h501u"}, "is not a 'FiscalCode'"),
        ({"fiscal_code": CITIZEN}, "'content' is a required property"),
    ],
)
def test_a_message_off_the_document_is_refused_and_kept_as_invalid(app_io: FakeIo, body: Any, error: str) -> None:
    status, problem = post(app_io, "/messages", body)
    assert status == 400 and error in problem["detail"]
    [invalid] = app_io.invalid()
    assert any(error in e for e in invalid["errors"])
    assert app_io.to(CITIZEN) == []


def test_without_the_key_nothing_is_answered_but_401(app_io: FakeIo) -> None:
    assert post(app_io, "/profiles", {"fiscal_code": CITIZEN}, {"content-type": "application/json"}) == (401, None)
    wrong = HEADERS | {"ocp-apim-subscription-key": "another"}
    assert post(app_io, "/messages", message(), wrong) == (401, None)
    assert [r["errors"] for r in app_io.invalid()] == [["header ocp-apim-subscription-key missing"]]


def test_an_operation_the_document_does_not_have_is_refused(app_io: FakeIo) -> None:
    assert post(app_io, "/notifications", {})[0] == 404
    assert app_io.receive("DELETE", "/api/v1/profiles", HEADERS, b"")[0] == 404
    assert len(app_io.invalid()) == 2


def test_a_citizen_not_on_io_or_refusing_the_service(app_io: FakeIo) -> None:
    app_io.citizens["BNCLCU80A01H501X"] = False
    assert post(app_io, "/profiles", {"fiscal_code": "VRDGPP80A01H501Y"})[0] == 404
    assert post(app_io, "/profiles", {"fiscal_code": "BNCLCU80A01H501X"})[1]["sender_allowed"] is False
    status, _ = post(app_io, "/messages", {**message(), "fiscal_code": "BNCLCU80A01H501X"})
    assert status == 201 and app_io.to("BNCLCU80A01H501X") == []  # accepted, then rejected, as IO does
    assert [m["status"] for m in app_io.messages] == ["REJECTED"]
    app_io.busy = 1
    assert post(app_io, "/profiles", {"fiscal_code": CITIZEN}) == (429, None)
    assert post(app_io, "/profiles", {"fiscal_code": CITIZEN})[0] == 200
