from collections.abc import AsyncIterator

import httpx
import pytest

from attendance.bootstrap import make_app
from attendance.config import AttendanceSettings
from testkit.acting import ForPerson
from testkit.apps import running
from testkit.infra import Infra

SERVICE_TOKEN = "test-service-token"


@pytest.fixture(scope="session")
def attendance_settings(infra: Infra, topic_prefix: str) -> AttendanceSettings:
    return AttendanceSettings(
        database_url=infra.database_urls["attendance"],
        kafka_bootstrap_servers=infra.kafka_bootstrap_servers,
        topic_prefix=topic_prefix,
        service_token=SERVICE_TOKEN,
    )


@pytest.fixture(scope="session")
async def attendance(attendance_settings: AttendanceSettings) -> AsyncIterator[httpx.AsyncClient]:
    """The attendance service in-process; the client carries the service credential and, as the
    gateway does for the office, names a member of staff (`testkit.acting`)."""
    async with running(make_app(attendance_settings), token=SERVICE_TOKEN, auth=ForPerson("attendance")) as client:
        yield client
