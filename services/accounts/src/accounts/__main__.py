"""`python -m accounts`: one process serving HTTP, consuming Kafka and relaying the outbox."""

import uvicorn

from accounts.bootstrap import make_app
from accounts.config import AccountsSettings

settings = AccountsSettings()
uvicorn.run(make_app(settings), host=settings.http_host, port=settings.http_port, log_config=None)
