"""In-memory stand-ins for the notifications service's ports, for handler unit tests.

A `Store` is what is committed. A unit of work copies it when entered, its repositories work on
the copy, and `commit()` makes the copy the store: what was not committed is gone, as with
PostgreSQL. Several units of work may share a store (the courier opens one per transaction).
"""

from __future__ import annotations

import collections
import copy
import dataclasses
import uuid
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Self

from notifications.domain.audience import Audience
from notifications.domain.delivery import FINAL, WAITING, ContactCard, LoggedDelivery, Outcome, State
from notifications.domain.notices import Entry
from notifications.domain.rules import BalanceState, Rule
from notifications.domain.sending import Due, Transition
from shared.events import ContactsChanged, StudentEnrolled
from testkit.data import tax_code
from testkit.fakes import FakeUnitOfWork


@dataclass
class Delivery:
    id: int
    account_id: uuid.UUID
    rule: str
    cause_id: str
    channel: str
    event_id: uuid.UUID | None
    params: dict[str, Any]
    state: State = State.QUEUED
    not_before: datetime | None = None
    recipient: str | None = None
    attempts: int = 0
    last_error: str | None = None
    sending_at: datetime | None = None
    sent_at: datetime | None = None
    provider_id: str | None = None
    created_at: datetime = datetime(2026, 1, 1, tzinfo=UTC)  # not looked at
    updated_at: datetime = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass
class Store:
    contacts: dict[uuid.UUID, ContactCard] = field(default_factory=dict)
    enrolments: dict[tuple[uuid.UUID, str], StudentEnrolled] = field(default_factory=dict)
    balances: dict[uuid.UUID, BalanceState] = field(default_factory=dict)
    deliveries: dict[int, Delivery] = field(default_factory=dict)

    def delivered(self, account_id: uuid.UUID) -> list[Delivery]:
        return [d for d in self.deliveries.values() if d.account_id == account_id]


class FakeContactBook:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def save(self, changes: Sequence[ContactsChanged]) -> None:
        for c in changes:
            self._store.contacts[c.account_id] = ContactCard(
                c.email, c.phone, c.email_opt_out, c.sms_opt_out, c.holder_tax_code, c.io_opt_out
            )

    async def cards(self, account_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, ContactCard]:
        return {a: self._store.contacts[a] for a in account_ids if a in self._store.contacts}


class FakeEnrolments:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def save(self, enrolments: Sequence[StudentEnrolled]) -> None:
        self._store.enrolments.update({(e.student_id, e.school_year): e for e in enrolments})

    async def surnames(self, account_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
        found: dict[uuid.UUID, list[str]] = {}
        for e in self._store.enrolments.values():
            if e.account_id in account_ids:
                found.setdefault(e.account_id, []).append(e.last_name)
        return found

    async def families_in(self, audience: Audience, school_year: str) -> list[uuid.UUID]:
        found = [
            e.account_id
            for e in self._store.enrolments.values()
            if audience.enrolled
            and audience.school_id in (None, e.school_id)
            and audience.class_id in (None, e.class_id)
            and e.school_year == school_year
            and e.active
        ]
        return list(dict.fromkeys(found))


class FakeBalances:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def of(self, account_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, BalanceState]:
        return {a: copy.copy(s) for a, s in self._store.balances.items() if a in account_ids}

    async def save(self, states: Mapping[uuid.UUID, BalanceState]) -> None:
        self._store.balances.update({a: copy.copy(s) for a, s in states.items()})

    async def negative_since_before(
        self, moment: datetime, only_accounts: Collection[uuid.UUID] | None = None
    ) -> dict[uuid.UUID, BalanceState]:
        return {
            a: copy.copy(s)
            for a, s in self._store.balances.items()
            if s.balance_cents < 0
            and s.negative_since is not None
            and s.negative_since < moment
            and (only_accounts is None or a in only_accounts)
        }


class FakeDeliveryLog:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def add(self, entries: Sequence[Entry]) -> int:
        rows = self._store.deliveries
        logged = {(d.rule, d.cause_id, d.channel, d.account_id) for d in rows.values()}
        new = 0
        for e in entries:
            n = e.notice
            cause = (n.rule.value, n.cause_id, e.channel, n.account_id)
            if cause in logged:  # the unique key: a cause is logged once per channel and family
                continue
            logged.add(cause)
            delivery_id = max(rows, default=0) + 1
            rows[delivery_id] = Delivery(
                delivery_id, n.account_id, *cause[:3], n.event_id, dict(n.params), e.route.state, e.route.not_before
            )
            new += 1
        return new

    async def abandon_stale(self, started_before: datetime) -> int:
        stale = [
            d
            for d in self._store.deliveries.values()
            if d.state is State.SENDING and d.sending_at is not None and d.sending_at < started_before
        ]
        for d in stale:
            move = Transition(d.id, State.FAILED, d.attempts, "invio interrotto: esito sconosciuto, non ripetuto")
            _apply(d, move)
        return len(stale)

    async def lock_due(self, now: datetime, limit: int) -> list[Due]:
        due = sorted(
            (
                d
                for d in self._store.deliveries.values()
                if d.state in WAITING and (d.not_before is None or d.not_before <= now)
            ),
            key=lambda d: d.id,
        )[:limit]
        contacts = self._store.contacts
        return [
            Due(
                d.id,
                d.account_id,
                d.rule,
                d.channel,
                dict(d.params),
                d.attempts,
                d.last_error,
                d.not_before,
                contacts.get(d.account_id),
            )
            for d in due
        ]

    async def move(self, transitions: Sequence[Transition], expected: Collection[State]) -> int:
        moved = 0
        for t in transitions:
            row = self._store.deliveries.get(t.id)
            if row is not None and row.state in expected:
                _apply(row, t)
                moved += 1
        return moved

    async def of_account(self, account_id: uuid.UUID, limit: int) -> list[LoggedDelivery]:
        rows = sorted(self._store.delivered(account_id), key=lambda d: -d.id)[:limit]
        names = [f.name for f in dataclasses.fields(LoggedDelivery)]
        return [LoggedDelivery(**{n: getattr(d, n) for n in names}) for d in rows]

    async def of_accounts(self, account_ids: Collection[uuid.UUID], rule: str, limit: int) -> list[LoggedDelivery]:
        rows = [d for d in self._store.deliveries.values() if d.account_id in account_ids and d.rule == rule]
        names = [f.name for f in dataclasses.fields(LoggedDelivery)]
        return [LoggedDelivery(**{n: getattr(d, n) for n in names}) for d in sorted(rows, key=lambda d: -d.id)][:limit]

    async def outcomes(self, rule: str, cause_id: str) -> list[Outcome]:
        rows = [d for d in self._store.deliveries.values() if (d.rule, d.cause_id) == (rule, cause_id)]
        counted = collections.Counter((d.channel, d.state.value) for d in rows)
        return [Outcome(channel, state, n) for (channel, state), n in sorted(counted.items())]


def _apply(row: Delivery, t: Transition) -> None:
    row.state, row.attempts, row.last_error, row.not_before = t.state, t.attempts, t.last_error, t.not_before
    for name in ("recipient", "sending_at", "sent_at", "provider_id"):
        if getattr(t, name) is not None:
            setattr(row, name, getattr(t, name))
    if t.state in FINAL and row.rule == Rule.PASSWORD_RESET:
        row.params = {}


class FakeNotificationsUnitOfWork(FakeUnitOfWork):
    def __init__(self, store: Store | None = None, fail_commits: int = 0) -> None:
        super().__init__()
        self.store = store if store is not None else Store()
        self.fail_commits = fail_commits  # the next commits that raise, as a lost connection would
        self._work = Store()

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self._work = copy.deepcopy(self.store)
        self.contacts = FakeContactBook(self._work)
        self.enrolments = FakeEnrolments(self._work)
        self.balances = FakeBalances(self._work)
        self.deliveries = FakeDeliveryLog(self._work)
        return self

    async def commit(self) -> None:
        if self.fail_commits:
            self.fail_commits -= 1
            raise ConnectionError("the database went away")
        await super().commit()
        for f in dataclasses.fields(Store):
            setattr(self.store, f.name, copy.deepcopy(getattr(self._work, f.name)))


def known_family(
    store: Store,
    school_id: str = "primaria-garibaldi",
    email: str | None = "famiglia@example.it",
    phone: str | None = "+393331234567",
    holder_tax_code: str | None = None,
    **opt_outs: bool,
) -> uuid.UUID:
    """A family the projections know: one child enrolled in `school_id`, and its contacts (in the
    app IO only with a `holder_tax_code`)."""
    account = uuid.uuid4()
    refused = {name: opt_outs.get(f"{name}_opt_out", False) for name in ("email", "sms", "io")}
    store.contacts[account] = ContactCard(
        email, phone, refused["email"], refused["sms"], holder_tax_code, refused["io"]
    )
    child = StudentEnrolled(
        student_id=uuid.uuid4(),
        account_id=account,
        tax_code=tax_code(year=2018),
        first_name="Giulia",
        last_name="Rossi",
        school_id=school_id,
        class_id="4A",
        school_year="2026/2027",
    )
    store.enrolments[(child.student_id, child.school_year)] = child
    return account


async def in_transaction(store: Store, handler: Callable[..., Awaitable[None]], *args: Any) -> None:
    """What the consumer wrapper does around a rule: enter, call the handler, commit."""
    async with FakeNotificationsUnitOfWork(store) as uow:
        await handler(uow, *args)
        await uow.commit()


def summary(rows: Sequence[Delivery]) -> list[tuple[str, str, str]]:
    return sorted((r.rule, r.channel, r.state.value) for r in rows)
