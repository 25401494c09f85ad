"""The notifications service in-process on real Kafka and PostgreSQL, with a real SMTP server
(aiosmtpd, on a loopback port), the test kit's fake Twilio and its IO stand-in (checking every
request against IO's official document), all recording what they receive; and a clock the
tests can move (quiet hours are about the time of day)."""

from __future__ import annotations

import base64
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from notifications.adapters.tables import contact, delivery, enrolment
from notifications.bootstrap import make_app
from notifications.config import NotificationsSettings
from shared.db import make_engine
from shared.events import ContactsChanged, Envelope, StudentEnrolled
from testkit import inbox
from testkit.acting import ForPerson
from testkit.apps import running
from testkit.data import tax_code
from testkit.databases import scratch_database
from testkit.infra import Infra
from testkit.io import FakeIo, official_document
from testkit.io import serving as io_serving
from testkit.kafka import eventually, publish
from testkit.smtp import Mailbox, serving
from testkit.twilio import FakeTwilio
from testkit.twilio import serving as twilio_serving

ROME = ZoneInfo("Europe/Rome")
SERVICE_TOKEN = "test-service-token"
TWILIO_SID = "AC0123456789abcdef0123456789abcdef"
TWILIO_TOKEN = "test-twilio-token"
IO_KEY = "test-io-subscription-key"


@pytest.fixture(scope="session")
def mailbox() -> Iterator[Mailbox]:
    with serving() as box:
        yield box


@pytest.fixture(scope="session")
def twilio() -> Iterator[FakeTwilio]:
    with twilio_serving() as fake:
        yield fake


@pytest.fixture(scope="session")
def io_stand_in() -> Iterator[FakeIo]:
    """Nobody is on IO until a test says so (`citizens`)."""
    with io_serving(official_document(), IO_KEY) as fake:
        yield fake


@pytest.fixture
def app_io(io_stand_in: FakeIo) -> Iterator[FakeIo]:
    """The IO stand-in; every request the test made of it satisfied IO's document."""
    before = len(io_stand_in.requests)
    yield io_stand_in
    with io_stand_in.lock:
        io_stand_in.busy, io_stand_in.busy_operation = 0, None
    assert [r["errors"] for r in io_stand_in.requests[before:] if r["errors"]] == []


class Clock:
    """Real time shifted by an offset; starts at midday in Rome, outside quiet hours."""

    def __init__(self) -> None:
        self.offset = timedelta(0)
        self.reset()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def set(self, moment: datetime) -> None:
        self.offset = moment - datetime.now(UTC)

    def reset(self) -> None:
        self.set(datetime.combine(datetime.now(ROME).date(), time(12, 0), tzinfo=ROME))


@pytest.fixture(scope="session")
def clock() -> Clock:
    return Clock()


@pytest.fixture(autouse=True)
def _midday(clock: Clock) -> Iterator[None]:
    clock.reset()
    yield
    clock.reset()


@pytest.fixture(scope="session")
async def notifications_database(infra: Infra) -> AsyncIterator[str]:
    """A database of this session's own: the sender loop works on every waiting message it finds,
    so a service started by another test run (end-to-end tests) must not share it."""
    async with scratch_database(infra.database_urls["notifications"], "notifications") as url:
        yield url


@pytest.fixture(scope="session")
def notifications_settings(
    infra: Infra,
    notifications_database: str,
    topic_prefix: str,
    mailbox: Mailbox,
    twilio: FakeTwilio,
    io_stand_in: FakeIo,
) -> NotificationsSettings:
    return NotificationsSettings(
        database_url=notifications_database,
        kafka_bootstrap_servers=infra.kafka_bootstrap_servers,
        topic_prefix=topic_prefix,
        service_token=SERVICE_TOKEN,
        portal_url="https://mensa.comune.example.it",
        smtp_host="127.0.0.1",
        smtp_port=mailbox.port,
        twilio_base_url=twilio.url,
        twilio_account_sid=TWILIO_SID,
        twilio_auth_token=TWILIO_TOKEN,
        io_base_url=io_stand_in.url,
        io_api_key=IO_KEY,
        io_window_seconds=0.2,  # the pause after a 429
        sender_idle_seconds=0.05,
        retry_base_seconds=0.1,
        retry_cap_seconds=0.5,
        retry_max_attempts=8,
        reminder_interval_seconds=0,  # the tests run the reminders themselves, with their own clock
    )


@pytest.fixture(scope="session")
async def notifications(
    notifications_settings: NotificationsSettings, clock: Clock
) -> AsyncIterator[httpx.AsyncClient]:
    async with running(
        make_app(notifications_settings, clock=clock), token=SERVICE_TOKEN, auth=ForPerson("notifications")
    ) as client:
        yield client


@pytest.fixture(scope="session")
async def engine(notifications_settings: NotificationsSettings) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(notifications_settings.database_url, pool_size=2)
    yield engine
    await engine.dispose()


@dataclass(frozen=True)
class Family:
    account_id: uuid.UUID
    surname: str
    email: str
    phone: str


@dataclass
class Families:
    """Makes families known to the running service: an enrolled child and contacts."""

    kafka: str
    prefix: str
    engine: AsyncEngine

    async def new(self, school_id: str = "primaria-garibaldi", class_id: str = "4A", **contacts: Any) -> Family:
        """Without a `holder_tax_code` in `contacts`, the family is not in the app IO."""
        account = uuid.uuid4()
        tag = account.hex[:8]
        family = Family(
            account, f"Rossi{tag.upper()}", f"famiglia.{tag}@example.it", f"+39333{int(tag, 16) % 10**7:07d}"
        )
        child = StudentEnrolled(
            student_id=uuid.uuid4(),
            account_id=account,
            tax_code=tax_code(year=2018),
            first_name="Giulia",
            last_name=family.surname,
            school_id=school_id,
            class_id=class_id,
            school_year="2026/2027",
        )
        card = ContactsChanged(
            account_id=account, holder_tax_code=None, email=family.email, phone=family.phone
        ).model_copy(update=contacts)
        await self.send("student-enrolled", Envelope.wrap(child, "accounts"))
        await self.send("contacts-changed", Envelope.wrap(card, "accounts"))
        await eventually(lambda: self._known(account))
        return family

    async def send(self, topic: str, envelope: Envelope[Any]) -> None:
        await publish(self.kafka, f"{self.prefix}{topic}", envelope.to_json(), key=envelope.data.partition_key())

    async def send_raw(self, topic: str, account: uuid.UUID, raw: bytes) -> None:
        """A message value as another producer (an older version of one) wrote it."""
        await publish(self.kafka, f"{self.prefix}{topic}", raw, key=str(account))

    async def change(self, account: uuid.UUID, **contacts: Any) -> None:
        """A `contacts-changed` for the family, applied when this returns."""
        card = ContactsChanged(account_id=account, holder_tax_code=None, email=None, phone=None)
        envelope = Envelope.wrap(card.model_copy(update=contacts), "accounts")
        await self.send("contacts-changed", envelope)
        await self.consumed("notifications.update-contact-book", envelope.event_id)

    async def _known(self, account: uuid.UUID) -> bool:
        async with self.engine.connect() as conn:
            contacts = await conn.scalar(select(contact.c.account_id).where(contact.c.account_id == account))
            children = await conn.scalar(select(enrolment.c.account_id).where(enrolment.c.account_id == account))
        return contacts is not None and children is not None

    async def consumed(self, consumer: str, event: Envelope[Any] | uuid.UUID) -> None:
        """Waits until `consumer` applied the event (and so all before it on its partition)."""
        event_id = event.event_id if isinstance(event, Envelope) else event

        async def applied() -> bool:
            async with self.engine.connect() as conn:
                return await inbox.processed(conn, consumer, event_id)

        await eventually(applied)

    async def deliveries(self, account: uuid.UUID) -> list[dict[str, Any]]:
        async with self.engine.connect() as conn:
            rows = await conn.execute(select(delivery).where(delivery.c.account_id == account).order_by(delivery.c.id))
        return [dict(r) for r in rows.mappings()]

    async def settled(self, account: uuid.UUID, expect: int) -> list[dict[str, Any]]:
        """The family's delivery log once it holds `expect` rows and none is waiting any more."""

        async def done() -> list[dict[str, Any]] | None:
            rows = await self.deliveries(account)
            waiting = [r for r in rows if r["state"] in ("queued", "sending", "deferred_quiet_hours")]
            return rows if len(rows) >= expect and not waiting else None

        result: list[dict[str, Any]] = await eventually(done)
        return result


@pytest.fixture
async def families(notifications: httpx.AsyncClient, kafka: str, topic_prefix: str, engine: AsyncEngine) -> Families:
    return Families(kafka, topic_prefix, engine)


def auth(sid: str, token: str) -> str:
    return "Basic " + base64.b64encode(f"{sid}:{token}".encode()).decode()
