"""`python -m accounts`: one process serving HTTP, consuming Kafka and relaying the outbox."""

from accounts.bootstrap import make_app
from accounts.config import AccountsSettings
from shared.service import run

run(make_app, AccountsSettings())
