"""Local mail and SMS catcher for `make up`: nothing leaves the machine.

- SMTP on 127.0.0.1:1025 (aiosmtpd): every message is stored as an `.eml` file in
  `$REFETTORIO_HOME/mail/` (default `~/.cache/refettorio/mail/`).
- HTTP on 127.0.0.1:1026 playing Twilio's Messages endpoint
  (`POST /2010-04-01/Accounts/<sid>/Messages.json`, form `To`, `From`, `Body`): every SMS is
  stored as a `.json` file in `$REFETTORIO_HOME/sms/` and answered `201` like Twilio would.

    python services/notifications/tools/catcher.py [--smtp-port 1025] [--sms-port 1026]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

HOME = Path(os.environ.get("REFETTORIO_HOME", Path.home() / ".cache" / "refettorio"))


def _name(suffix: str) -> str:
    return f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}{suffix}"


class MailFolder:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        (self.folder / _name(".eml")).write_bytes(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


def sms_handler(folder: Path) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            form = dict(urllib.parse.parse_qsl(self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()))
            sid = f"SM{uuid.uuid4().hex}"
            record = {
                "sid": sid,
                "path": self.path,
                "to": form.get("To"),
                "from": form.get("From"),
                "body": form.get("Body"),
            }
            (folder / _name(".json")).write_text(json.dumps(record, ensure_ascii=False, indent=2))
            payload = json.dumps({"sid": sid, "status": "queued"}).encode()
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


async def main(smtp_port: int, sms_port: int) -> None:
    mail, sms = HOME / "mail", HOME / "sms"
    mail.mkdir(parents=True, exist_ok=True)
    sms.mkdir(parents=True, exist_ok=True)
    smtp = Controller(MailFolder(mail), hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    http = ThreadingHTTPServer(("127.0.0.1", sms_port), sms_handler(sms))
    threading.Thread(target=http.serve_forever, daemon=True).start()
    print(
        f"mail catcher: smtp://127.0.0.1:{smtp_port} -> {mail}; sms: http://127.0.0.1:{sms_port} -> {sms}", flush=True
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    http.shutdown()
    smtp.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smtp-port", type=int, default=1025)
    parser.add_argument("--sms-port", type=int, default=1026)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.smtp_port, arguments.sms_port))
