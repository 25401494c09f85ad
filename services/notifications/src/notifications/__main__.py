"""`python -m notifications`: one process serving HTTP, consuming Kafka, relaying the outbox,
sending messages and running the daily reminders."""

from notifications.bootstrap import make_app
from notifications.config import NotificationsSettings
from shared.service import run

run(make_app, NotificationsSettings())
