"""The local catcher `make up` runs (tools/catcher.py), as a real process."""

import json
import subprocess
import sys
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path

import httpx
import pytest

from notifications.adapters.http_io import IoMessageSender
from notifications.adapters.smtp import SmtpEmailSender
from notifications.adapters.twilio import TwilioSmsSender
from notifications.domain.io import IoMessage, PaymentData
from testkit.kafka import eventually
from testkit.processes import free_port

TOOL = Path(__file__).resolve().parents[2] / "tools" / "catcher.py"


@pytest.fixture
def catcher(tmp_path: Path) -> Iterator[tuple[Path, int, int, int]]:
    smtp, sms, app_io = free_port(), free_port(), free_port()
    process = subprocess.Popen(
        [sys.executable, str(TOOL), "--smtp-port", str(smtp), "--sms-port", str(sms), "--io-port", str(app_io)],
        env={"REFETTORIO_HOME": str(tmp_path), "PATH": ""},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert process.stdout is not None
    assert b"mail catcher" in process.stdout.readline()
    yield tmp_path, smtp, sms, app_io
    process.terminate()
    assert process.wait(10) == 0


async def test_the_catcher_keeps_emails_and_sms_as_files(catcher: tuple[Path, int, int, int]) -> None:
    home, smtp, sms, _ = catcher
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


async def test_the_catcher_plays_the_app_io_and_keeps_its_messages_as_files(
    catcher: tuple[Path, int, int, int],
) -> None:
    home, _, _, app_io = catcher
    notice = PaymentData("302202500000123451", 2500, "01234567897")
    message = IoMessage(
        "Avviso di pagamento per la mensa", "Gentile famiglia Rossi,\n\n" + "testo " * 20, payment=notice
    )
    async with httpx.AsyncClient() as http:
        sender = IoMessageSender(http, f"http://127.0.0.1:{app_io}/api/v1", "dev-io-key")
        io_id = await sender.send_io("RSSMRA80A01H501U", message)

    async def stored() -> bool:
        return bool(list((home / "io").glob("*.json")))

    await eventually(stored, timeout=5)
    [kept] = (home / "io").glob("*.json")
    record = json.loads(kept.read_text())
    assert (record["id"], record["fiscal_code"], record["status"]) == (io_id, "RSSMRA80A01H501U", "PROCESSED")
    assert record["content"]["payment_data"] == {
        "notice_number": "302202500000123451",
        "amount": 2500,
        "payee": {"fiscal_code": "01234567897"},
        "invalid_after_due_date": True,
    }
