"""`python -m payments`: one process serving HTTP, consuming Kafka and relaying the outbox."""

from payments.bootstrap import make_app
from payments.config import PaymentsSettings
from shared.service import run

run(make_app, PaymentsSettings())
