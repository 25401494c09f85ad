"""Every service's own connections report durable commits (`synchronous_commit = on`)."""

import importlib

import pytest
from sqlalchemy import text

from testkit.infra import SERVICES, Infra


@pytest.mark.parametrize("service", SERVICES)
async def test_a_service_session_commits_durably(service: str, infra: Infra) -> None:
    bootstrap = importlib.import_module(f"{service}.bootstrap")
    app = bootstrap.make_app()  # settings from the environment, as the process reads them
    engine = app.state.infra.engine
    try:
        async with engine.connect() as conn:
            assert await conn.scalar(text("SHOW synchronous_commit")) == "on"
    finally:
        await engine.dispose()
