import json
import uuid
from datetime import date

import pytest
from pydantic import ValidationError

from shared.events import (
    ContactsChanged,
    Envelope,
    MealConsumed,
    NotificationRequested,
    PaymentReceived,
    UnknownEventVersion,
    Upcasters,
    parse_envelope,
)
from shared.topics import Topic


def _meal() -> MealConsumed:
    return MealConsumed(
        meal_id=uuid.uuid4(),
        student_id=uuid.uuid4(),
        account_id=uuid.uuid4(),
        school_id="s1",
        class_id="1A",
        service_date=date(2026, 11, 25),
    )


def test_an_envelope_round_trips_through_json() -> None:
    meal = _meal()
    envelope = Envelope.wrap(meal, producer="attendance")
    parsed = parse_envelope(envelope.to_json(), MealConsumed)
    assert parsed == envelope
    assert parsed.type == "meal-consumed" and parsed.version == 1
    assert meal.partition_key() == str(meal.account_id)


def test_the_wire_format_is_the_architectures() -> None:
    raw = Envelope.wrap(_meal(), producer="attendance").model_dump(mode="json")
    assert set(raw) == {"event_id", "type", "version", "occurred_at", "producer", "data"}
    assert raw["occurred_at"].endswith("Z")


def test_a_consumer_refuses_another_type_or_version() -> None:
    raw = Envelope.wrap(_meal(), producer="attendance").model_dump(mode="json")
    with pytest.raises(UnknownEventVersion):
        parse_envelope(Envelope.wrap(_meal(), "x").to_json(), PaymentReceived)
    raw["version"] = 2
    with pytest.raises(UnknownEventVersion):
        parse_envelope(json.dumps(raw).encode(), MealConsumed)


@pytest.mark.parametrize("raw", [b"not json", b"{}", b'{"type": "meal-consumed", "version": 1}'])
def test_garbage_is_a_validation_error(raw: bytes) -> None:
    with pytest.raises(ValidationError):
        parse_envelope(raw, MealConsumed)


def test_payment_amounts_are_positive_cents() -> None:
    with pytest.raises(ValidationError):
        PaymentReceived(
            payment_id=uuid.uuid4(),
            notice_number="3" * 18,
            iuv="x",
            account_id=uuid.uuid4(),
            amount_cents=0,
            paid_at="2026-11-25T10:00:00Z",
            channel="c",
            psp="p",
            receipt_id="r",
        )


class MealConsumedV2(MealConsumed):
    """A later version that splits the meal type into a course and a diet kitchen."""

    version = 2
    course: str
    meal_type: str = "lunch"


def test_a_v1_event_in_flight_reaches_a_consumer_of_v2_through_its_upcaster() -> None:
    chains = Upcasters()

    @chains.register(Topic.MEAL_CONSUMED, from_version=1)
    def add_course(data: dict[str, object]) -> dict[str, object]:
        return data | {"course": "primo" if data["meal_type"] == "lunch" else "altro"}

    v1 = Envelope.wrap(_meal(), producer="attendance")
    parsed = parse_envelope(v1.to_json(), MealConsumedV2, chains)
    assert (parsed.version, parsed.event_id, parsed.data.course) == (2, v1.event_id, "primo")
    assert parsed.data.meal_id == v1.data.meal_id


def test_without_a_chain_an_old_version_is_refused() -> None:
    with pytest.raises(UnknownEventVersion, match="no upcaster from v1"):
        parse_envelope(Envelope.wrap(_meal(), producer="attendance").to_json(), MealConsumedV2, Upcasters())


def test_a_v1_contacts_changed_reaches_a_consumer_of_v2_without_a_fiscal_code() -> None:
    """The project's own chain (`shared.events.UPCASTERS`): a v1 change in flight is still consumed."""
    account = uuid.uuid4()
    v1 = {
        "event_id": str(uuid.uuid4()),
        "type": "contacts-changed",
        "version": 1,
        "occurred_at": "2026-11-25T10:00:00Z",
        "producer": "accounts",
        "data": {"account_id": str(account), "email": "a@example.it", "phone": None, "sms_opt_out": True},
    }
    parsed = parse_envelope(json.dumps(v1).encode(), ContactsChanged)
    assert parsed.version == ContactsChanged.version == 2
    assert parsed.data == ContactsChanged(
        account_id=account, holder_tax_code=None, email="a@example.it", phone=None, sms_opt_out=True
    )


def test_a_v2_notification_request_reaches_a_consumer_of_v3_naming_a_school_at_most() -> None:
    request = uuid.uuid4()
    v2 = {
        "event_id": str(uuid.uuid4()),
        "type": "notification-requested",
        "version": 2,
        "occurred_at": "2026-11-25T10:00:00Z",
        "producer": "accounts",
        "data": {"request_id": str(request), "school_id": "primaria-garibaldi", "template": "broadcast", "email": None},
    }
    parsed = parse_envelope(json.dumps(v2).encode(), NotificationRequested)
    assert parsed.version == NotificationRequested.version == 3
    assert (parsed.data.school_id, parsed.data.class_id, parsed.data.everyone) == ("primaria-garibaldi", None, False)
