"""`python -m attendance`: one process serving HTTP, consuming Kafka and relaying the outbox."""

import uvicorn

from attendance.bootstrap import make_app
from attendance.config import AttendanceSettings

settings = AttendanceSettings()
uvicorn.run(make_app(settings), host=settings.http_host, port=settings.http_port, log_config=None)
