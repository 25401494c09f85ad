"""The event envelope and the versioned event models of the architecture's topic table.

A change to an event is a new model with a higher `version`; a consumer names the version it
knows, and `Upcasters` turn every older version into it (see `parse_envelope`).
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, ClassVar, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shared.topics import Topic

Channel = Literal["email", "sms", "io"]  # io: a message in the app IO, keyed by the holder's fiscal code
ALL_CHANNELS: tuple[Channel, ...] = ("email", "sms", "io")


class Event(BaseModel):
    """The `data` of an envelope. Subclasses say which topic carries them and the partition key."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    topic: ClassVar[Topic]
    version: ClassVar[int] = 1

    def partition_key(self) -> str:
        return str(self.__dict__["account_id"])


class StudentEnrolled(Event):
    topic = Topic.STUDENT_ENROLLED
    student_id: uuid.UUID
    account_id: uuid.UUID
    tax_code: str
    first_name: str
    last_name: str
    school_id: str
    class_id: str
    diet: str = "standard"
    school_year: str = Field(pattern=r"^\d{4}/\d{4}$")
    active: bool = True


class ContactsChanged(Event):
    """v2 adds the holder's fiscal code (the app IO's key for a citizen) and the refusal of IO
    messages; a v1 change, upcast, has no fiscal code (see `_contacts_changed_v1`)."""

    topic = Topic.CONTACTS_CHANGED
    version = 2
    account_id: uuid.UUID
    holder_tax_code: str | None
    email: str | None
    phone: str | None
    email_opt_out: bool = False
    sms_opt_out: bool = False
    io_opt_out: bool = False
    locale: str = "it"


class MealConsumed(Event):
    topic = Topic.MEAL_CONSUMED
    meal_id: uuid.UUID
    student_id: uuid.UUID
    account_id: uuid.UUID
    school_id: str
    class_id: str
    service_date: date
    meal_type: str = "lunch"


class MealCancelled(Event):
    topic = Topic.MEAL_CANCELLED
    meal_id: uuid.UUID
    account_id: uuid.UUID
    reason: str


class PaymentReceived(Event):
    topic = Topic.PAYMENT_RECEIVED
    payment_id: uuid.UUID
    notice_number: str
    iuv: str
    account_id: uuid.UUID
    amount_cents: int = Field(gt=0)
    paid_at: datetime
    channel: str
    psp: str
    receipt_id: str


class BalanceChanged(Event):
    topic = Topic.BALANCE_CHANGED
    account_id: uuid.UUID
    entry_id: uuid.UUID
    cause: str
    amount_cents: int
    balance_before_cents: int
    balance_after_cents: int


class Template(StrEnum):
    """What `notification-requested` may ask for, and the params each needs (notifications checks)."""

    PASSWORD_RESET = "password_reset"  # sealed_reset_url (shared.sealing), minutes; by email only, to `email`
    BROADCAST = "broadcast"  # subject, text
    SERVICE_INTERRUPTION = "service_interruption"  # subject, text
    PAYMENT_NOTICE = "payment_notice"  # notice_number, amount_cents, due_date, payee_fiscal_code; in the app IO
    ASSISTANCE_REPLY = "assistance_reply"  # answered_at; by email only: the office answered in the portal
    REMINDER = "reminder"  # no params: the office's "sollecita ora", with each family's debt as notifications knows it


class NotificationRequested(Event):
    """The audience is families (`account_ids`, every family of `school_id`, from v3 of its
    `class_id` only, or `everyone`: every family with a child enrolled) or, from v2, one person
    at their own address (`email`: a staff member's password reset, never a family's)."""

    topic = Topic.NOTIFICATION_REQUESTED
    version = 3
    request_id: uuid.UUID
    account_ids: list[uuid.UUID] = Field(default_factory=list)
    email: str | None = Field(default=None, max_length=254)
    school_id: str | None = None
    class_id: str | None = Field(default=None, max_length=32)  # within `school_id`
    everyone: bool = False
    template: str
    params: dict[str, Any] = Field(default_factory=dict)
    channels: list[Channel] = Field(default_factory=lambda: list(ALL_CHANNELS))

    def partition_key(self) -> str:
        return str(self.request_id)


E = TypeVar("E", bound=Event)


class Envelope(BaseModel, Generic[E]):
    """One JSON envelope for every topic; `event_id` is what inboxes deduplicate on."""

    model_config = ConfigDict(frozen=True)

    event_id: uuid.UUID
    type: str
    version: int
    occurred_at: datetime
    producer: str
    data: E

    @classmethod
    def wrap(cls, data: E, producer: str, event_id: uuid.UUID | None = None) -> Envelope[E]:
        # Parametrised by the data's own class, so that it serialises all of the data's fields.
        typed: Any = envelope_of(type(data))
        return typed(
            event_id=event_id or uuid.uuid4(),
            type=data.topic.value,
            version=data.version,
            occurred_at=datetime.now(UTC),
            producer=producer,
            data=data,
        )

    def to_json(self) -> bytes:
        return self.model_dump_json().encode()


@functools.cache
def envelope_of(event_type: type[Event]) -> type[Envelope[Any]]:
    """`Envelope[event_type]`, built once: pydantic's own lookup of a parametrised generic costs
    more than validating a small event, and every event on the hot paths goes through it."""
    return Envelope[event_type]  # type: ignore[valid-type]


class UnknownEventVersion(ValueError):
    """A consumer was given a type or version it does not accept: a permanent error."""


Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


class Upcasters:
    """How an event's `data` of one version becomes the `data` of the next.

    A consumer that knows version N of an event accepts every older version for which a chain of
    upcasters leads to N, so a new version can be deployed while old events are still in flight
    or kept on the topic: register `v -> v + 1` next to the model of version `v + 1`.
    """

    def __init__(self) -> None:
        self._steps: dict[tuple[str, int], Upcaster] = {}

    def register(self, topic: Topic, from_version: int) -> Callable[[Upcaster], Upcaster]:
        def add(step: Upcaster) -> Upcaster:
            self._steps[(topic.value, from_version)] = step
            return step

        return add

    def upcast(self, topic: str, data: dict[str, Any], version: int, to: int) -> dict[str, Any]:
        for step_from in range(version, to):
            step = self._steps.get((topic, step_from))
            if step is None:
                raise UnknownEventVersion(f"{topic}: no upcaster from v{step_from} to v{step_from + 1}")
            data = step(data)
        return data


UPCASTERS = Upcasters()  # the project's own chains, registered beside the event models


@UPCASTERS.register(Topic.CONTACTS_CHANGED, from_version=1)
def _contacts_changed_v1(data: dict[str, Any]) -> dict[str, Any]:
    """A v1 change carried no fiscal code: no IO messages for the family until its next change."""
    return {**data, "holder_tax_code": None, "io_opt_out": False}


@UPCASTERS.register(Topic.NOTIFICATION_REQUESTED, from_version=1)
def _notification_requested_v1(data: dict[str, Any]) -> dict[str, Any]:
    """A v1 request was for families only."""
    return {**data, "email": None}


@UPCASTERS.register(Topic.NOTIFICATION_REQUESTED, from_version=2)
def _notification_requested_v2(data: dict[str, Any]) -> dict[str, Any]:
    """A v2 request named a whole school at most."""
    return {**data, "class_id": None, "everyone": False}


def parse_envelope(raw: bytes, accepted: type[E], upcasters: Upcasters = UPCASTERS) -> Envelope[E]:
    """Parses and validates one message value, upcasting an older version to the accepted one;
    raises ValidationError or UnknownEventVersion.

    The usual case (the accepted type and version) is parsed once; only a value that does not
    parse as such, or names another type or version, is read a second time for its head."""
    typed: Any = envelope_of(accepted)
    try:
        envelope = typed.model_validate_json(raw)
    except ValidationError:
        envelope = None
    if envelope is not None and envelope.type == accepted.topic.value and envelope.version == accepted.version:
        return envelope
    head = _Head.model_validate_json(raw)
    if head.type != accepted.topic.value or head.version > accepted.version:
        raise UnknownEventVersion(
            f"{accepted.__name__} accepts {accepted.topic.value} up to v{accepted.version}, "
            f"got {head.type} v{head.version}"
        )
    if head.version == accepted.version:
        return typed.model_validate_json(raw)  # raises the validation error of the accepted version
    document = json.loads(raw)
    document["data"] = upcasters.upcast(head.type, document["data"], head.version, accepted.version)
    document["version"] = accepted.version
    return typed.model_validate(document)


class _Head(BaseModel):
    type: str
    version: int


__all__ = [
    "BalanceChanged",
    "ContactsChanged",
    "Envelope",
    "Event",
    "MealCancelled",
    "MealConsumed",
    "NotificationRequested",
    "PaymentReceived",
    "StudentEnrolled",
    "UnknownEventVersion",
    "Upcasters",
    "ValidationError",
    "parse_envelope",
]
