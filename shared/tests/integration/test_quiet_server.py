"""The quiet uvicorn server: a SIGTERM still stops it at once, and its Date header is current."""

import signal
import socket
import subprocess
import sys
import time
from email.utils import parsedate_to_datetime

import httpx

APP = """
import sys
import uvicorn
from fastapi import FastAPI
from shared.quiet_server import QuietServer

app = FastAPI()

@app.get("/")
async def root() -> dict[str, str]:
    return {"ok": "yes"}

QuietServer(uvicorn.Config(app, host="127.0.0.1", port=int(sys.argv[1]), log_config=None)).run()
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_sigterm_stops_it_at_once_and_the_date_header_is_current() -> None:
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-c", APP, str(port)])
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                first = httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.05)
        time.sleep(2.2)
        later = httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
        seconds = (parsedate_to_datetime(later.headers["date"]) - parsedate_to_datetime(first.headers["date"])).seconds
        assert 1 <= seconds <= 3, (first.headers["date"], later.headers["date"])
        asked = time.monotonic()
        server.send_signal(signal.SIGTERM)
        assert server.wait(10) == -signal.SIGTERM  # uvicorn raises the signal again once stopped
        assert time.monotonic() - asked < 0.8, "the signal waited for the next tick"
    finally:
        server.kill()
        server.wait()
