"""The courier's at-most-once bookkeeping, against in-memory ports and senders."""

import uuid
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from notifications.domain.delivery import ContactCard, RetryPolicy, Route, State
from notifications.domain.exceptions import DeliveryFailed, Unreachable
from notifications.domain.io import IoMessage, PaymentData
from notifications.domain.notices import Entry, Notice
from notifications.domain.policy import Policy
from notifications.domain.rules import Rule
from notifications.handlers.deliver_messages import Courier

from .fakes import Delivery, FakeNotificationsUnitOfWork, Store, known_family

ROME = ZoneInfo("Europe/Rome")
NOON = datetime(2026, 11, 25, 12, tzinfo=ROME)
POLICY = Policy(retries=RetryPolicy(max_attempts=3, base_seconds=5, cap_seconds=60))


class Provider:
    """Plays the three senders: answers each message with `answer(channel, to)` (an id, or raises),
    after checking what the store says of it while it is on its way."""

    def __init__(self, store: Store, answer: Callable[[str, str], str | None] | None = None) -> None:
        self.store = store
        self.answer = answer or (lambda channel, to: f"{channel}-id")
        self.sent: list[tuple[str, str, str]] = []
        self.in_io: list[IoMessage] = []
        self.states_while_sending: list[tuple[State, int]] = []

    async def send_email(self, to: str, subject: str, body: str, message_id: str) -> str | None:
        return self._take("email", to, body)

    async def send_sms(self, to: str, body: str) -> str | None:
        return self._take("sms", to, body)

    async def send_io(self, fiscal_code: str, message: IoMessage) -> str | None:
        self.in_io.append(message)
        return self._take("io", fiscal_code, message.markdown)

    def _take(self, channel: str, to: str, body: str) -> str | None:
        [row] = [d for d in self.store.deliveries.values() if d.recipient == to and d.channel == channel]
        self.states_while_sending.append((row.state, row.attempts))
        self.sent.append((channel, to, body))
        return self.answer(channel, to)


class Templates:
    def render(self, rule: str, channel: str, family: str, params: dict[str, Any]) -> tuple[str, str]:
        if "broken" in params:
            raise KeyError("broken")
        body = f"{rule} per la famiglia {family}"
        return f"{rule} {family}", body.ljust(80, ".") if channel == "io" else body  # IO wants 80 at least


def courier(store: Store, provider: Provider, commits_failing: list[int] | None = None, at: datetime = NOON) -> Courier:
    failing = iter(commits_failing or [])
    return Courier(
        lambda: FakeNotificationsUnitOfWork(store, fail_commits=next(failing, 0)),
        email=provider,
        sms=provider,
        io=provider,
        renderer=Templates(),
        policy=POLICY,
        clock=lambda: at,
        stale_after=timedelta(minutes=10),
    )


async def queued(store: Store, account: uuid.UUID, *channels: str, rule: Rule = Rule.IN_DEBT, **params: Any) -> None:
    async with FakeNotificationsUnitOfWork(store) as uow:
        notice = Notice(account, rule, str(uuid.uuid4()), {"balance_cents": -350, **params})
        await uow.deliveries.add([Entry(notice, c, Route(State.QUEUED)) for c in channels])
        await uow.commit()


def by_channel(store: Store, account: uuid.UUID) -> dict[str, Delivery]:
    return {d.channel: d for d in store.delivered(account)}


async def test_a_message_is_committed_as_sending_before_it_leaves_then_recorded_as_sent() -> None:
    store = Store()
    family = known_family(store)
    await queued(store, family, "email", "sms")
    provider = Provider(store)

    assert await courier(store, provider).deliver_due() == 2

    assert provider.states_while_sending == [(State.SENDING, 1), (State.SENDING, 1)]
    assert sorted(c for c, _, _ in provider.sent) == ["email", "sms"]
    assert ("email", "famiglia@example.it", "in_debt per la famiglia Rossi") in provider.sent
    rows = by_channel(store, family)
    assert [(r.state, r.attempts, r.provider_id, r.sent_at) for r in rows.values()] == [
        (State.SENT, 1, f"{c}-id", NOON) for c in rows
    ]
    assert rows["sms"].recipient == "+393331234567" and rows["sms"].last_error is None
    assert await courier(store, provider).deliver_due() == 0  # nothing is sent twice
    assert len(provider.sent) == 2


async def test_a_provider_that_certainly_refused_is_tried_again_later_until_the_attempts_run_out() -> None:
    store = Store()
    family = known_family(store, phone=None)
    await queued(store, family, "email")

    def busy(channel: str, to: str) -> str:
        raise DeliveryFailed("risposta SMTP 451", retryable=True)

    provider = Provider(store, busy)
    await courier(store, provider).deliver_due()
    [row] = store.delivered(family)
    assert (row.state, row.attempts, row.last_error) == (State.QUEUED, 1, "risposta SMTP 451")
    assert row.not_before == NOON + timedelta(seconds=5)
    assert await courier(store, provider).deliver_due() == 0  # not yet due

    await courier(store, provider, at=NOON + timedelta(seconds=5)).deliver_due()
    [row] = store.delivered(family)
    assert (row.state, row.attempts, row.not_before) == (State.QUEUED, 2, NOON + timedelta(seconds=15))
    await courier(store, provider, at=NOON + timedelta(seconds=15)).deliver_due()
    [row] = store.delivered(family)
    assert (row.state, row.attempts, row.not_before) == (State.FAILED, 3, None)
    assert len(provider.sent) == 3


async def test_an_unknown_outcome_is_failed_and_never_retried() -> None:
    store = Store()
    timed_out, exploded = known_family(store, phone=None), known_family(store, phone=None)
    await queued(store, timed_out, "email")
    await queued(store, exploded, "email")
    store.contacts[exploded] = ContactCard("altra@example.it", None, False, False)

    def answer(channel: str, to: str) -> str:
        if to == "altra@example.it":
            raise RuntimeError("boom")
        raise DeliveryFailed("esito sconosciuto: ReadTimeout", retryable=False)

    provider = Provider(store, answer)
    await courier(store, provider).deliver_due()
    [first], [second] = store.delivered(timed_out), store.delivered(exploded)
    assert (first.state, first.last_error) == (State.FAILED, "esito sconosciuto: ReadTimeout")
    assert second.state == State.FAILED and second.last_error.startswith("esito sconosciuto: RuntimeError")
    assert await courier(store, provider).deliver_due() == 0


async def test_a_message_left_sending_by_a_dead_process_is_failed_not_resent_and_forgets_its_link() -> None:
    store = Store()
    family = known_family(store)
    await queued(store, family, "email", rule=Rule.PASSWORD_RESET, reset_url="https://x.it/r?t=1")
    [row] = store.delivered(family)
    row.state, row.attempts, row.sending_at = State.SENDING, 1, NOON - timedelta(minutes=11)
    provider = Provider(store)

    assert await courier(store, provider).deliver_due() == 0
    [row] = store.delivered(family)
    assert (row.state, row.attempts, row.params) == (State.FAILED, 1, {})
    assert "esito sconosciuto" in (row.last_error or "")
    assert provider.sent == []


async def test_a_message_sending_for_less_than_the_stale_time_is_left_alone() -> None:
    store = Store()
    family = known_family(store)
    await queued(store, family, "email")
    [row] = store.delivered(family)
    row.state, row.attempts, row.sending_at = State.SENDING, 1, NOON - timedelta(minutes=9)
    await courier(store, Provider(store)).deliver_due()
    assert store.delivered(family)[0].state == State.SENDING


async def test_refusals_and_quiet_hours_are_checked_again_when_sending() -> None:
    store = Store()
    family = known_family(store)
    await queued(store, family, "email", "sms")
    store.contacts[family] = ContactCard("famiglia@example.it", "+393331234567", email_opt_out=True, sms_opt_out=False)
    provider = Provider(store)
    evening = datetime.combine(NOON.date(), time(21, 0), tzinfo=ROME)

    await courier(store, provider, at=evening).deliver_due()
    rows = by_channel(store, family)
    assert (rows["email"].state, rows["email"].attempts) == (State.SUPPRESSED_OPT_OUT, 0)
    assert rows["sms"].state == State.DEFERRED_QUIET_HOURS
    assert rows["sms"].not_before == datetime.combine(NOON.date() + timedelta(days=1), time(8), tzinfo=ROME)
    assert provider.sent == []


async def test_without_an_address_yet_the_message_waits_for_the_contact_book() -> None:
    store = Store()
    stranger = uuid.uuid4()
    await queued(store, stranger, "email")
    await courier(store, Provider(store)).deliver_due()
    [row] = store.delivered(stranger)
    assert (row.state, row.attempts, row.last_error) == (State.QUEUED, 1, "nessun recapito per questo canale")
    assert row.not_before == NOON + timedelta(seconds=5)


async def test_a_broken_template_fails_the_message_without_sending_it() -> None:
    store = Store()
    family = known_family(store, phone=None)
    await queued(store, family, "email", broken=True)
    provider = Provider(store)
    await courier(store, provider).deliver_due()
    [row] = store.delivered(family)
    assert (row.state, row.attempts) == (State.FAILED, 0)
    assert (row.last_error or "").startswith("modello: KeyError")
    assert provider.sent == []


async def test_the_outcomes_are_recorded_even_when_the_first_try_to_record_them_fails() -> None:
    store = Store()
    family = known_family(store, phone=None)
    await queued(store, family, "email")
    provider = Provider(store)
    # The claim commits; the first commit of the outcomes fails, the second one holds.
    await courier(store, provider, commits_failing=[0, 1, 0]).deliver_due()
    [row] = store.delivered(family)
    assert (row.state, row.provider_id) == (State.SENT, "email-id")
    assert len(provider.sent) == 1


async def test_a_claim_that_could_not_commit_sends_nothing() -> None:
    store = Store()
    family = known_family(store, phone=None)
    await queued(store, family, "email")
    provider = Provider(store)
    with pytest.raises(ConnectionError):  # the loop backs off and tries again
        await courier(store, provider, commits_failing=[1]).deliver_due()
    assert provider.sent == [] and store.delivered(family)[0].state == State.QUEUED


HOLDER = "RSSMRA80A01H501U"


async def test_a_notice_goes_to_the_app_io_payable_from_there() -> None:
    store = Store()
    family = known_family(store, holder_tax_code=HOLDER)
    notice = {"notice_number": "302202500000123451", "amount_cents": 2500, "due_date": "2026-12-31"}
    await queued(store, family, "io", rule=Rule.PAYMENT_NOTICE, **notice, payee_fiscal_code="01234567897")
    provider = Provider(store)

    await courier(store, provider).deliver_due()
    [message] = provider.in_io
    assert message.payment == PaymentData("302202500000123451", 2500, "01234567897")
    assert message.due_date == datetime(2026, 12, 31, 23, 59, 59, tzinfo=ROME)
    [row] = store.delivered(family)
    assert (row.state, row.recipient, row.provider_id) == (State.SENT, HOLDER, "io-id")


async def test_a_citizen_not_on_io_or_who_turned_the_service_off_gets_nothing_recorded_not_retried() -> None:
    store = Store()
    absent, refusing = "BNCLCU80A01H501X", "VRDGPP80A01H501Y"
    families = [known_family(store, holder_tax_code=absent), known_family(store, holder_tax_code=refusing)]
    for family in families:
        await queued(store, family, "io")

    def answer(channel: str, to: str) -> str:
        if to == absent:
            raise Unreachable("non iscritto all'app IO", refused=False)
        raise Unreachable("servizio disattivato dal cittadino nell'app IO", refused=True)

    provider = Provider(store, answer)
    await courier(store, provider).deliver_due()
    [not_on_io], [turned_off] = (store.delivered(f) for f in families)
    assert (not_on_io.state, not_on_io.attempts, not_on_io.not_before) == (State.UNREACHABLE, 1, None)
    assert (turned_off.state, turned_off.last_error) == (
        State.SUPPRESSED_OPT_OUT,
        "servizio disattivato dal cittadino nell'app IO",
    )
    await courier(store, provider, at=NOON + timedelta(hours=1)).deliver_due()
    assert len(provider.sent) == 2


async def test_the_familys_refusal_of_io_holds_when_sending() -> None:
    store = Store()
    family = known_family(store, holder_tax_code=HOLDER)
    await queued(store, family, "io")
    store.contacts[family] = ContactCard(None, None, False, False, HOLDER, io_opt_out=True)
    provider = Provider(store)
    await courier(store, provider).deliver_due()
    assert store.delivered(family)[0].state == State.SUPPRESSED_OPT_OUT and provider.sent == []
