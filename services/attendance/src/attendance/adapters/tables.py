"""The attendance service's tables (SQLAlchemy Core); the migrations create them, and
`tests/integration/test_schema.py` keeps the two in agreement (indexes included)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Time,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY

from shared.db import make_metadata

metadata = make_metadata()

roster = Table(
    "roster",
    metadata,
    Column("student_id", Uuid, primary_key=True),
    Column("account_id", Uuid, nullable=False),
    Column("school_id", String(64), nullable=False),
    Column("class_id", String(64), nullable=False),
    Column("diet", String(64), nullable=False),
    # What the canteen's screen shows of a child: the first name and the surname's initial only.
    Column("first_name", String(100), nullable=False, server_default=""),
    Column("surname_initial", String(1), nullable=False, server_default=""),
    Column("school_year", String(9), primary_key=True),
    Column("active", Boolean, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_roster_school_class", "school_id", "class_id"),
    Index("ix_roster_school_year", "school_id", "school_year"),
)

terminal = Table(
    "terminal",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("school_id", String(64), nullable=False),
    Column("secret_digest", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("revoked_at", DateTime(timezone=True)),
    Column("label", String(100), nullable=False, server_default=""),
    # The code that pairs a tablet, as a digest, until it is used or expires.
    Column("pairing_digest", String(64)),
    Column("pairing_expires_at", DateTime(timezone=True)),
    Column("paired_at", DateTime(timezone=True)),
    Index("ix_terminal_pairing_digest", "pairing_digest", unique=True),
)

absence_post = Table(
    "absence_post",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("school_id", String(64), nullable=False),
    Column("class_id", String(64), nullable=False),
    Column("service_date", Date, nullable=False),
    Column("absent_student_ids", ARRAY(Uuid), nullable=False),
    Column("posted_by", String(100), nullable=False),
    Column("posted_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

absence = Table(
    "absence",
    metadata,
    Column("service_date", Date, primary_key=True),
    Column("student_id", Uuid, primary_key=True),
    Column("school_id", String(64), nullable=False),
    Column("class_id", String(64), nullable=False),
    Index("ix_absence_school_date", "school_id", "service_date"),
)

day_close = Table(
    "day_close",
    metadata,
    Column("school_id", String(64), primary_key=True),
    Column("service_date", Date, primary_key=True),
    Column("closed_by", String(100), nullable=False),
    Column("closed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("meals", Integer, nullable=False, server_default="0"),
    Column("reason", String(300)),  # why the office closed a day already gone
)

school = Table(
    "school",
    metadata,
    Column("school_id", String(64), primary_key=True),
    Column("service_weekdays", ARRAY(SmallInteger), nullable=False),
    Column("cutoff", Time, nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("updated_by", String(100), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

closure = Table(
    "closure",
    metadata,
    Column("school_id", String(64), primary_key=True),
    Column("service_date", Date, primary_key=True),
    Column("class_id", String(64), primary_key=True),  # "" = the whole school
    Column("kind", String(20), nullable=False),
    Column("reason", String(300), nullable=False),
    Column("declared_by", String(100), nullable=False),
    Column("declared_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

absence_announcement = Table(
    "absence_announcement",
    metadata,
    Column("student_id", Uuid, primary_key=True),
    Column("service_date", Date, primary_key=True),
    Column("school_id", String(64), nullable=False),
    Column("class_id", String(64), nullable=False),
    Column("announced_by", String(100), nullable=False),
    Column("announced_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_absence_announcement_school_date", "school_id", "service_date"),
)

meal = Table(
    "meal",
    metadata,
    Column("meal_id", Uuid, primary_key=True),
    Column("student_id", Uuid, nullable=False),
    Column("account_id", Uuid, nullable=False),
    Column("school_id", String(64), nullable=False),
    Column("class_id", String(64), nullable=False),
    Column("diet", String(64), nullable=False),
    Column("service_date", Date, nullable=False),
    Column("meal_type", String(20), nullable=False),
    Column("cancelled_at", DateTime(timezone=True)),
    Column("cancel_reason", String(300)),
    Index("ix_meal_school_date", "school_id", "service_date"),
    Index("ix_meal_student_date", "student_id", "service_date"),
)

correction = Table(
    "correction",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("school_id", String(64), nullable=False),
    Column("student_id", Uuid, nullable=False),
    Column("service_date", Date, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("reason", String(300), nullable=False),
    Column("effect", String(20), nullable=False),
    Column("corrected_by", String(100), nullable=False),
    Column("corrected_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_correction_student_date", "student_id", "service_date"),
)

# The last tap of the terminal's screen for each child and day: the last write per child wins,
# by the time of the tap (`domain/marks.py`); the day's absences (`absence`) follow it.
attendance_mark = Table(
    "attendance_mark",
    metadata,
    Column("service_date", Date, primary_key=True),
    Column("student_id", Uuid, primary_key=True),
    Column("school_id", String(64), nullable=False),
    Column("class_id", String(64), nullable=False),
    Column("absent", Boolean, nullable=False),
    Column("tapped_at", DateTime(timezone=True), nullable=False),
    Column("marked_by", String(100), nullable=False),
)

# A class's register taken on a day: by a post, a tap, or the operator's confirmation.
class_register = Table(
    "class_register",
    metadata,
    Column("school_id", String(64), primary_key=True),
    Column("service_date", Date, primary_key=True),
    Column("class_id", String(64), primary_key=True),
    Column("taken_by", String(100), nullable=False),
    Column("taken_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# Every change the terminal's screen sent, by its idempotency key, written in the transaction of
# its effect: a change replayed is answered without being applied again.
terminal_change = Table(
    "terminal_change",
    metadata,
    Column("change_id", Uuid, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("sent_by", String(100), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
