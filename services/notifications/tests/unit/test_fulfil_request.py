"""`fulfil_requests` against in-memory ports: audiences, templates, refusals."""

from datetime import UTC, datetime

import pytest

from notifications.domain.exceptions import InvalidRequest
from notifications.domain.policy import Policy
from notifications.handlers.fulfil_request import fulfil_requests
from notifications.handlers.project_enrolments import project_enrolments
from shared.events import Envelope, NotificationRequested

from ..events import request
from .fakes import Store, in_transaction, known_family, summary

NOON = datetime(2026, 11, 25, 11, tzinfo=UTC)


async def fulfil(store: Store, *requests: Envelope[NotificationRequested]) -> None:
    await in_transaction(store, fulfil_requests, requests, Policy(), lambda: NOON)


async def test_a_broadcast_reaches_the_schools_families_and_the_listed_ones_once_each() -> None:
    store = Store()
    first, second = known_family(store, school_id="garibaldi"), known_family(store, school_id="garibaldi")
    listed, elsewhere = known_family(store, school_id="mazzini"), known_family(store, school_id="mazzini")
    params = {"subject": "Mensa chiusa", "text": "Sciopero giovedì."}
    broadcast = request(
        school_id="garibaldi", account_ids=[listed, first], template="service_interruption", params=params
    )
    await fulfil(store, broadcast)

    for family in (first, second, listed):
        rows = store.delivered(family)
        assert summary(rows) == [("broadcast", "email", "queued"), ("broadcast", "sms", "queued")]
        assert {r.cause_id for r in rows} == {str(broadcast.data.request_id)}
        assert all(r.params == params for r in rows)
    assert store.delivered(elsewhere) == []


async def test_a_withdrawn_child_takes_the_family_out_of_the_schools_audience() -> None:
    store = Store()
    family = known_family(store, school_id="garibaldi")
    [child] = store.enrolments.values()
    store.enrolments[(child.student_id, child.school_year)] = child.model_copy(update={"active": False})
    await fulfil(store, request(school_id="garibaldi", template="broadcast", params={"subject": "S", "text": "T"}))
    assert store.delivered(family) == []


async def test_next_years_enrolment_elsewhere_keeps_the_family_in_this_years_school() -> None:
    """Hardening finding 10: the enrolment for 2027/2028 at the middle school, entered in June,
    used to replace 2026/2027's, and the family stopped hearing from the primary school."""
    store = Store()
    family = known_family(store, school_id="garibaldi")
    [child] = store.enrolments.values()
    await in_transaction(
        store, project_enrolments, [child.model_copy(update={"school_id": "media-fermi", "school_year": "2027/2028"})]
    )
    params = {"subject": "Mensa chiusa", "text": "Sciopero giovedì."}

    async def reached_by(school: str, day: datetime) -> bool:
        broadcast = request(school_id=school, template="broadcast", params=params)
        await in_transaction(store, fulfil_requests, [broadcast], Policy(), lambda: day)
        return str(broadcast.data.request_id) in {r.cause_id for r in store.delivered(family)}

    june, september = datetime(2027, 6, 3, 9, tzinfo=UTC), datetime(2027, 9, 14, 9, tzinfo=UTC)
    assert await reached_by("garibaldi", june)
    assert not await reached_by("media-fermi", june)
    assert await reached_by("media-fermi", september)
    assert not await reached_by("garibaldi", september)


NOTICE = {
    "notice_number": "302202500000123451",
    "amount_cents": 2500,
    "due_date": "2026-12-31",
    "payee_fiscal_code": "01234567897",
}


async def test_a_payment_notice_goes_to_the_app_io_only_and_only_where_the_service_sends_on_io(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = Store()
    family = known_family(store, holder_tax_code="RSSMRA80A01H501U")
    notice = request(account_ids=[family], template="payment_notice", params=NOTICE, channels=["email", "sms", "io"])
    await fulfil(store, notice)
    assert summary(store.delivered(family)) == [("payment_notice", "io", "queued")]

    without_io = Store()
    family = known_family(without_io, holder_tax_code="RSSMRA80A01H501U")
    off = Policy(channels=("email", "sms"))
    await in_transaction(without_io, fulfil_requests, [notice], off, lambda: NOON)
    assert without_io.delivered(family) == []
    assert [r.message for r in caplog.records] == ["requested only on channels this service does not send on"]


async def test_a_password_reset_goes_by_email_only() -> None:
    store = Store()
    family = known_family(store)
    link = "https://mensa.comune.example.it/recupera-password?token=abc"
    await fulfil(store, request(account_ids=[family], template="password_reset", params={"reset_url": link}))
    [row] = store.delivered(family)
    assert (row.rule, row.channel, row.params) == ("password_reset", "email", {"reset_url": link})


async def test_an_answer_of_the_office_is_announced_by_email_only() -> None:
    store = Store()
    family = known_family(store)
    params = {"answered_at": "2026-11-25T10:00:00+00:00"}
    answer = request(account_ids=[family], template="assistance_reply", params=params, channels=["email", "sms"])
    await fulfil(store, answer)
    assert summary(store.delivered(family)) == [("assistance_reply", "email", "queued")]


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"template": "sconosciuto", "params": {}}, "Modello di messaggio sconosciuto: sconosciuto."),
        ({"template": "broadcast", "params": {"subject": "S"}}, "Parametri mancanti: text."),
        ({"template": "password_reset", "params": {"reset_url": "javascript:x"}}, "non è valido"),
        ({"template": "payment_notice", "params": {**NOTICE, "due_date": None}}, "Parametri mancanti: due_date."),
        ({"template": "payment_notice", "params": {**NOTICE, "amount_cents": "25"}}, "importo non valido"),
        ({"template": "payment_notice", "params": {**NOTICE, "payee_fiscal_code": "RSSMRA80A01H501U"}}, "ente"),
        ({"template": "payment_notice", "params": {**NOTICE, "due_date": "31/12/2026"}}, "data di scadenza"),
    ],
)
async def test_a_request_that_cannot_be_fulfilled_is_refused_whole(fields: dict[str, object], reason: str) -> None:
    store = Store()
    family = known_family(store)
    good = request(account_ids=[family], template="broadcast", params={"subject": "S", "text": "T"})
    with pytest.raises(InvalidRequest, match=reason):
        await fulfil(store, good, request(account_ids=[family], **fields))
    assert store.delivered(family) == []


async def test_a_request_without_an_audience_is_refused() -> None:
    store = Store()
    with pytest.raises(InvalidRequest, match="destinatari"):
        await fulfil(store, request(template="broadcast", params={"subject": "S", "text": "T"}))
