"""`python -m attendance`: one process serving HTTP, consuming Kafka and relaying the outbox."""

from attendance.bootstrap import make_app
from attendance.config import AttendanceSettings
from shared.service import run

run(make_app, AttendanceSettings())
