"""Local mail, SMS and app IO catcher for `make up`: nothing leaves the machine.

- SMTP on 127.0.0.1:1025 (aiosmtpd): every message is stored as an `.eml` file in
  `$REFETTORIO_HOME/mail/` (default `~/.cache/refettorio/mail/`).
- HTTP on 127.0.0.1:1026 playing Twilio's Messages endpoint (the test kit's `testkit.twilio`,
  `POST /2010-04-01/Accounts/<sid>/Messages.json`, form `To`, `From`, `Body`): every SMS is
  stored as a `.json` file in `$REFETTORIO_HOME/sms/` and answered `201` like Twilio would.
- HTTP on 127.0.0.1:1027 playing the app IO's Services API (the test kit's `testkit.io`, base
  URL `http://127.0.0.1:1027/api/v1`, key `--io-key`): every request is checked against IO's
  document, every citizen is on IO and allows the service, and every message is stored as a
  `.json` file in `$REFETTORIO_HOME/io/` (what the request said, with IO's id).

    python services/notifications/tools/catcher.py [--smtp-port 1025] [--sms-port 1026] [--io-port 1027]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from testkit import io, twilio

HOME = Path(os.environ.get("REFETTORIO_HOME", Path.home() / ".cache" / "refettorio"))


def _name(suffix: str) -> str:
    return f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}{suffix}"


class MailFolder:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        (self.folder / _name(".eml")).write_bytes(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


def sms_folder(folder: Path) -> Callable[[dict[str, Any]], None]:
    def keep(sms: dict[str, Any]) -> None:
        form = sms["form"]
        record = {
            "sid": sms["sid"],
            "path": sms["path"],
            "to": form.get("To"),
            "from": form.get("From"),
            "body": form.get("Body"),
        }
        (folder / _name(".json")).write_text(json.dumps(record, ensure_ascii=False, indent=2))

    return keep


def io_folder(folder: Path) -> Callable[[dict[str, Any]], None]:
    def keep(message: dict[str, Any]) -> None:
        (folder / _name(".json")).write_text(json.dumps(message, ensure_ascii=False, indent=2))

    return keep


async def main(smtp_port: int, sms_port: int, io_port: int, io_key: str) -> None:
    mail, sms, in_io = HOME / "mail", HOME / "sms", HOME / "io"
    for folder in (mail, sms, in_io):
        folder.mkdir(parents=True, exist_ok=True)
    smtp = Controller(MailFolder(mail), hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    with (
        twilio.serving(sms_port, on_accepted=sms_folder(sms)),
        io.serving(io.COPY, io_key, io_port, everyone=True, on_message=io_folder(in_io)) as app_io,
    ):
        print(
            f"mail catcher: smtp://127.0.0.1:{smtp_port} -> {mail}; sms: http://127.0.0.1:{sms_port} -> {sms}; "
            f"app IO: {app_io.url} -> {in_io}",
            flush=True,
        )
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
    smtp.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smtp-port", type=int, default=1025)
    parser.add_argument("--sms-port", type=int, default=1026)
    parser.add_argument("--io-port", type=int, default=1027)
    parser.add_argument("--io-key", default="dev-io-key", help="the key the stand-in expects")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.smtp_port, arguments.sms_port, arguments.io_port, arguments.io_key))
