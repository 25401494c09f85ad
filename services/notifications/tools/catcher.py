"""Local mail and SMS catcher for `make up`: nothing leaves the machine.

- SMTP on 127.0.0.1:1025 (aiosmtpd): every message is stored as an `.eml` file in
  `$REFETTORIO_HOME/mail/` (default `~/.cache/refettorio/mail/`).
- HTTP on 127.0.0.1:1026 playing Twilio's Messages endpoint (the test kit's `testkit.twilio`,
  `POST /2010-04-01/Accounts/<sid>/Messages.json`, form `To`, `From`, `Body`): every SMS is
  stored as a `.json` file in `$REFETTORIO_HOME/sms/` and answered `201` like Twilio would.

    python services/notifications/tools/catcher.py [--smtp-port 1025] [--sms-port 1026]
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

from testkit import twilio

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


async def main(smtp_port: int, sms_port: int) -> None:
    mail, sms = HOME / "mail", HOME / "sms"
    mail.mkdir(parents=True, exist_ok=True)
    sms.mkdir(parents=True, exist_ok=True)
    smtp = Controller(MailFolder(mail), hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    with twilio.serving(sms_port, on_accepted=sms_folder(sms)):
        print(
            f"mail catcher: smtp://127.0.0.1:{smtp_port} -> {mail}; sms: http://127.0.0.1:{sms_port} -> {sms}",
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
    arguments = parser.parse_args()
    asyncio.run(main(arguments.smtp_port, arguments.sms_port))
