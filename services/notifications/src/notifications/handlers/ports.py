"""What the handlers need from the outside world: the repositories of one transaction, the
senders, the templates and the time."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from notifications.domain.audience import Audience
from notifications.domain.delivery import ContactCard, LoggedDelivery, Outcome, State
from notifications.domain.io import IoMessage
from notifications.domain.notices import Entry
from notifications.domain.rules import BalanceState
from notifications.domain.sending import Due, Transition
from shared.events import ContactsChanged, StudentEnrolled
from shared.unit_of_work import UnitOfWork

Clock = Callable[[], datetime]


class ContactBook(Protocol):
    """The projection of `contacts-changed`: addresses and opt-outs of each family."""

    async def save(self, changes: Sequence[ContactsChanged]) -> None:
        """Each family's card as the change says (one change per family)."""

    async def cards(self, account_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, ContactCard]: ...


class Enrolments(Protocol):
    """The projection of `student-enrolled`: which family has children in which school."""

    async def save(self, enrolments: Sequence[StudentEnrolled]) -> None:
        """Each student's enrolment as the event says (one event per student)."""

    async def surnames(self, account_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
        """The surnames of each family's own children."""

    async def families_in(self, audience: Audience, school_year: str) -> list[uuid.UUID]:
        """The families with a child actively enrolled where the audience says (every school, a
        school, a class of a school); none when it names only listed families."""


class Balances(Protocol):
    """The projection of `balance-changed`: each family's last balance, negative since when."""

    async def of(self, account_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, BalanceState]: ...

    async def save(self, states: Mapping[uuid.UUID, BalanceState]) -> None: ...

    async def negative_since_before(
        self, moment: datetime, only_accounts: Collection[uuid.UUID] | None = None
    ) -> dict[uuid.UUID, BalanceState]:
        """The families whose balance is negative and has been since before `moment`."""


class DeliveryLog(Protocol):
    """One row per message (cause, channel, family), whatever became of it.

    A cause produces at most one message per channel and family: adding an entry already
    logged adds nothing.
    """

    async def add(self, entries: Sequence[Entry]) -> int:
        """Logs the entries not logged yet; returns how many were new."""

    async def abandon_stale(self, started_before: datetime) -> int:
        """Messages `sending` since before then (their process died mid-send): failed, never resent."""

    async def lock_due(self, now: datetime, limit: int) -> list[Due]:
        """Waiting messages whose time has come, oldest first, locked for this transaction
        (other replicas skip them)."""

    async def move(self, transitions: Sequence[Transition], expected: Collection[State]) -> int:
        """Applies the transitions to the messages still in an `expected` state; returns how many.
        A final state also forgets what must not be kept (a password-reset link)."""

    async def of_account(self, account_id: uuid.UUID, limit: int) -> list[LoggedDelivery]:
        """A family's messages, newest first (addresses in clear)."""

    async def of_accounts(self, account_ids: Collection[uuid.UUID], rule: str, limit: int) -> list[LoggedDelivery]:
        """These families' messages of one rule, newest first (addresses in clear)."""

    async def outcomes(self, rule: str, cause_id: str) -> list[Outcome]:
        """What became of a cause's messages: how many in each state, per channel."""


class NotificationsUnitOfWork(UnitOfWork, Protocol):
    """The repositories on the unit of work's transaction (read-only members, so that an
    implementation may type them as its own classes)."""

    @property
    def contacts(self) -> ContactBook: ...

    @property
    def enrolments(self) -> Enrolments: ...

    @property
    def balances(self) -> Balances: ...

    @property
    def deliveries(self) -> DeliveryLog: ...


class EmailSender(Protocol):
    async def send_email(self, to: str, subject: str, body: str, message_id: str) -> str | None:
        """Sends one plain-text email; returns the server's id for it, if any. Raises `DeliveryFailed`."""


class SmsSender(Protocol):
    async def send_sms(self, to: str, body: str) -> str | None:
        """Sends one SMS; returns the provider's id for it. Raises `DeliveryFailed`."""


class IoSender(Protocol):
    async def send_io(self, fiscal_code: str, message: IoMessage) -> str | None:
        """Sends one message to the citizen's app IO, after asking IO whether the citizen is there
        and allows this service; returns IO's id for it. Raises `Unreachable` (not on IO, or the
        service turned off in the app) or `DeliveryFailed`."""


class Renderer(Protocol):
    def render(self, rule: str, channel: str, family: str, params: dict[str, Any]) -> tuple[str, str]:
        """The message's subject (empty for SMS) and text (Markdown in the app IO)."""
