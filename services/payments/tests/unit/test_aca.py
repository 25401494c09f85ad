"""ACA: every change of a notice queued with it, sent in order, superseded when a newer one waits,
retried when ACA is away, failed when it refuses; an activated notice is left alone."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from payments.adapters.http_aca import problems
from payments.domain.aca import AcaAnswer, Change, NoticeChange, Registration, RetryPolicy, position
from payments.domain.exceptions import NoticeBeingPaid, NoticeNotChangeable
from payments.domain.notice import Notice, NoticeState
from payments.handlers.activate_notice import activate_notice
from payments.handlers.cancel_notice import cancel_notice
from payments.handlers.change_notice import ChangeNotice, change_notice
from payments.handlers.register_in_aca import register_in_aca
from payments.handlers.retry_in_aca import retry_in_aca
from payments.handlers.verify_notice import NoticeQuery

from .fakes import CREDITOR, STATION, FakeAca, FakePaymentsUnitOfWork, a_notice, pinned  # type: ignore[import-not-found]

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
CLOCK = pinned(NOW)
RETRY = RetryPolicy(base_seconds=2.0, cap_seconds=60.0)


async def send(uow: FakePaymentsUnitOfWork, aca: FakeAca, at: datetime = NOW) -> dict[str, int]:
    return dict(await register_in_aca(uow, aca, pinned(at), RETRY, batch_size=20))


def test_the_position_is_the_notice_whole_and_fits_the_official_document() -> None:
    notice = a_notice(7, amount_cents=2550, due_date=date(2027, 3, 2))
    body = position(notice, CREDITOR, Change.CREATED)
    assert body == {
        "paFiscalCode": "01234567897",
        "entityType": "F",
        "entityFiscalCode": "RSSMRA80A01H501U",
        "entityFullName": "Mario Rossi",
        "iuv": notice.iuv,
        "nav": notice.notice_number,
        "amount": 2550,
        "description": "Ricarica conto mensa - Mario Rossi",
        "expirationDate": "2027-03-02T23:59:59+01:00",  # the whole due day, in Rome
        "iban": CREDITOR.iban,
        "switchToExpired": True,
        "payStandIn": True,
    }
    invalidation = position(notice, CREDITOR, Change.CANCELLED)
    assert invalidation == body | {"amount": 0}
    assert position(replace(notice, due_date=date(2027, 7, 1)), CREDITOR, Change.CHANGED)["expirationDate"] == (
        "2027-07-01T23:59:59+02:00"
    )
    assert problems(body) == [] and problems(invalidation) == []
    assert problems(body | {"iban": "IT60"}) == ["iban: 'IT60' is too short"]


async def test_a_notice_life_leaves_in_order_one_change_at_a_time() -> None:
    notice = a_notice(1, amount_cents=2000)
    uow, aca = FakePaymentsUnitOfWork(notice), FakeAca()
    await queue_created(uow, notice)
    assert await send(uow, aca) == {"registered": 1}
    changed = await change_notice(uow, ChangeNotice(notice.notice_number, 2500, date(2027, 1, 31)), CREDITOR, CLOCK)
    assert changed.aca is not None and (changed.aca.change, changed.aca.state) == (Change.CHANGED, Registration.PENDING)
    assert await send(uow, aca) == {"registered": 1}
    cancelling = await cancel_notice(uow, notice.notice_number, CREDITOR, CLOCK)
    assert cancelling.notice.state is NoticeState.CANCELLING
    assert await send(uow, aca) == {"registered": 1}
    assert [(b["amount"], b["expirationDate"][:10]) for b in aca.bodies] == [
        (2000, "2026-12-31"),
        (2500, "2027-01-31"),
        (0, "2027-01-31"),
    ]
    assert uow.notices.rows[notice.notice_number].state is NoticeState.CANCELLED  # once ACA invalidated it
    assert await send(uow, aca) == {} and len(aca.bodies) == 3


async def test_a_newer_change_supersedes_an_unsent_one() -> None:
    notice = a_notice(1)
    uow, aca = FakePaymentsUnitOfWork(notice), FakeAca(AcaAnswer(422, "nothing to invalidate"))
    await queue_created(uow, notice)
    await change_notice(uow, ChangeNotice(notice.notice_number, 999), CREDITOR, CLOCK)
    await cancel_notice(uow, notice.notice_number, CREDITOR, CLOCK)
    assert await send(uow, aca) == {"registered": 1}
    [only] = aca.bodies
    assert only["amount"] == 0  # ACA never held it: nothing payable there, nothing to invalidate
    states = [row["state"] for row in uow.aca_changes.rows]
    assert states == [Registration.SUPERSEDED, Registration.SUPERSEDED, Registration.REGISTERED]
    assert uow.notices.rows[notice.notice_number].state is NoticeState.CANCELLED


@pytest.mark.parametrize(
    ("answer", "wait"),
    [
        (AcaAnswer(None, "ConnectError"), 2),
        (AcaAnswer(503, "Service Unavailable"), 2),
        (AcaAnswer(429, "Too many requests", retry_after=30), 30),
    ],
)
async def test_aca_away_means_later_and_never_lost(answer: AcaAnswer, wait: int) -> None:
    notice = a_notice(1)
    uow, aca = FakePaymentsUnitOfWork(notice), FakeAca(answer, answer)
    await queue_created(uow, notice)
    assert await send(uow, aca) == {"pending": 1}
    status = await uow.aca_changes.status(notice.notice_number)
    assert status is not None and status.attempts == 1 and status.next_attempt_at == NOW + timedelta(seconds=wait)
    assert status.answer is not None and status.answer.startswith(("nessuna risposta", "HTTP 503", "HTTP 429"))
    assert await send(uow, aca) == {}  # not due yet
    assert await send(uow, aca, NOW + timedelta(seconds=wait)) == {"pending": 1}
    assert await send(uow, aca, NOW + timedelta(hours=1)) == {"registered": 1}
    assert len(aca.bodies) == 3 and aca.bodies[0] == aca.bodies[2]


@pytest.mark.parametrize(
    "answer",
    [
        AcaAnswer(400, "Bad Request"),
        AcaAnswer(401, ""),
        AcaAnswer(409, "Unauthorized action"),
        AcaAnswer(None, "x", sent=False),
    ],
)
async def test_a_refused_change_fails_with_the_answer_and_may_be_retried(answer: AcaAnswer) -> None:
    notice = a_notice(1)
    uow, aca = FakePaymentsUnitOfWork(notice), FakeAca(answer)
    await queue_created(uow, notice)
    assert await send(uow, aca) == {"failed": 1}
    assert await send(uow, aca, NOW + timedelta(days=1)) == {}
    retried = await retry_in_aca(uow, notice.notice_number, CLOCK)
    assert retried is not None and retried.state is Registration.PENDING and retried.attempts == 1
    assert await send(uow, aca) == {"registered": 1}


async def test_an_invalidation_aca_already_applied_is_registered() -> None:
    """A resend after a crash: the position is already invalid, and ACA answers 409."""
    notice = a_notice(1)
    uow, aca = FakePaymentsUnitOfWork(notice), FakeAca(AcaAnswer(409, "Unauthorized action"))
    await cancel_notice(uow, notice.notice_number, CREDITOR, CLOCK)
    assert await send(uow, aca) == {"registered": 1}
    assert uow.notices.rows[notice.notice_number].state is NoticeState.CANCELLED


async def test_a_crash_before_the_record_sends_the_same_body_again() -> None:
    notice = a_notice(1)
    uow, aca = FakePaymentsUnitOfWork(notice), FakeAca()
    await queue_created(uow, notice)
    recording = uow.aca_changes.record

    async def crash(*_: object) -> None:
        raise ConnectionResetError("the process died")

    uow.aca_changes.record = crash  # type: ignore[method-assign]
    with pytest.raises(ConnectionResetError):
        await send(uow, aca)
    uow.aca_changes.record = recording  # type: ignore[method-assign]
    assert [row["state"] for row in uow.aca_changes.rows] == [Registration.PENDING]
    assert await send(uow, aca) == {"registered": 1}
    assert aca.bodies == [aca.bodies[0]] * 2


async def test_only_the_sender_holding_the_lock_sends() -> None:
    notice = a_notice(1)
    uow, aca = FakePaymentsUnitOfWork(notice), FakeAca()
    await queue_created(uow, notice)
    uow.aca_changes.sender_free = False
    assert await send(uow, aca) == {} and aca.bodies == []


async def test_an_activated_notice_can_be_neither_cancelled_nor_changed() -> None:
    notice = a_notice(1, due_date=date(2026, 12, 31))
    uow = FakePaymentsUnitOfWork(notice)
    await activate_notice(uow, NoticeQuery(CREDITOR.fiscal_code, notice.notice_number), None, STATION, CLOCK)
    assert uow.notices.rows[notice.notice_number].activated_at == NOW
    assert uow.notices.locked == [notice.notice_number]
    with pytest.raises(NoticeBeingPaid):
        await cancel_notice(uow, notice.notice_number, CREDITOR, CLOCK)
    with pytest.raises(NoticeBeingPaid):
        await change_notice(uow, ChangeNotice(notice.notice_number, 100), CREDITOR, CLOCK)
    assert uow.aca_changes.rows == [] and uow.notices.rows[notice.notice_number].state is NoticeState.OPEN


async def test_an_expired_notice_cannot_be_changed() -> None:
    notice = a_notice(1, due_date=date(2026, 11, 24))
    uow = FakePaymentsUnitOfWork(notice)
    with pytest.raises(NoticeNotChangeable):
        await change_notice(uow, ChangeNotice(notice.notice_number, due_date=date(2027, 1, 1)), CREDITOR, CLOCK)


async def queue_created(uow: FakePaymentsUnitOfWork, notice: Notice) -> None:
    async with uow:
        await uow.aca_changes.queue(NoticeChange.of(notice, CREDITOR, Change.CREATED))
        await uow.commit()
