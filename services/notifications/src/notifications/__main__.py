"""`python -m notifications`: one process serving HTTP, consuming Kafka and relaying the outbox."""

import uvicorn

from notifications.bootstrap import make_app
from notifications.config import NotificationsSettings

settings = NotificationsSettings()
uvicorn.run(make_app(settings), host=settings.http_host, port=settings.http_port, log_config=None)
