"""`python -m payments`: one process serving HTTP, consuming Kafka and relaying the outbox."""

import uvicorn

from payments.bootstrap import make_app
from payments.config import PaymentsSettings

settings = PaymentsSettings()
uvicorn.run(make_app(settings), host=settings.http_host, port=settings.http_port, log_config=None)
