"""The local catcher `make up` runs (tools/catcher.py), as a real process."""

import json
import subprocess
import sys
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path

import httpx
import pytest

from notifications.adapters.smtp import SmtpEmailSender
from notifications.adapters.twilio import TwilioSmsSender
from testkit.kafka import eventually
from testkit.processes import free_port

TOOL = Path(__file__).resolve().parents[2] / "tools" / "catcher.py"


@pytest.fixture
def catcher(tmp_path: Path) -> Iterator[tuple[Path, int, int]]:
    smtp, sms = free_port(), free_port()
    process = subprocess.Popen(
        [sys.executable, str(TOOL), "--smtp-port", str(smtp), "--sms-port", str(sms)],
        env={"REFETTORIO_HOME": str(tmp_path), "PATH": ""},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert process.stdout is not None
    assert b"mail catcher" in process.stdout.readline()
    yield tmp_path, smtp, sms
    process.terminate()
    assert process.wait(10) == 0


async def test_the_catcher_keeps_emails_and_sms_as_files(catcher: tuple[Path, int, int]) -> None:
    home, smtp, sms = catcher
    await SmtpEmailSender("127.0.0.1", smtp, "Refettorio <mensa@example.it>").send_email(
        "famiglia@example.it", "Credito in esaurimento", "Saldo € 4,50\n", "<delivery-1@refettorio.local>"
    )
    async with httpx.AsyncClient() as http:
        sid = await TwilioSmsSender(http, f"http://127.0.0.1:{sms}", "dev-sid", "dev-token", "Refettorio").send_sms(
            "+39 333 1234567", "Mensa: saldo € 4,50"
        )

    async def stored() -> bool:
        return bool(list((home / "mail").glob("*.eml")) and list((home / "sms").glob("*.json")))

    await eventually(stored, timeout=5)
    [eml] = (home / "mail").glob("*.eml")
    letter = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert (letter["To"], letter["Subject"]) == ("famiglia@example.it", "Credito in esaurimento")
    assert letter.get_content().splitlines() == ["Saldo € 4,50"]  # CRLF, as on the wire
    [text] = (home / "sms").glob("*.json")
    assert json.loads(text.read_text()) | {"sid": sid} == {
        "sid": sid,
        "path": "/2010-04-01/Accounts/dev-sid/Messages.json",
        "to": "+393331234567",
        "from": "Refettorio",
        "body": "Mensa: saldo € 4,50",
    }
