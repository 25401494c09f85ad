import json
import logging

from shared.logs import RedactingFilter, Throttle, configure_logging, redact


def test_personal_data_is_masked() -> None:
    text = redact("child RSSLCU15A41A562X of mario.rossi@example.it, call +39 333 1234567")
    assert "RSSLCU15A41A562X" not in text
    assert "mario.rossi@example.it" not in text
    assert "333 1234567" not in text


def test_uuids_and_amounts_survive() -> None:
    text = "account 6f1c2a36-6d1e-4c55-9a5e-1b2b3c4d5e6f balance 1250"
    assert redact(text) == text


def test_json_lines_never_carry_a_tax_code(capsys) -> None:
    configure_logging("test")
    logging.getLogger("t").warning("enrolled %s", "RSSLCU15A41A562X", extra={"who": "RSSLCU15A41A562X"})
    line = capsys.readouterr().out.strip().splitlines()[-1]
    record = json.loads(line)
    assert "RSSLCU15A41A562X" not in line
    assert record["service"] == "test" and record["level"] == "WARNING"


def test_filter_is_on_the_handler() -> None:
    configure_logging("test")
    assert any(isinstance(f, RedactingFilter) for h in logging.getLogger().handlers for f in h.filters)


def test_a_noisy_logger_passes_once_a_period_and_says_how_many_it_held_back() -> None:
    now = [0.0]
    throttle = Throttle(period=60, clock=lambda: now[0])

    def record(name: str, msg: str, level: int = logging.ERROR) -> logging.LogRecord:
        return logging.LogRecord(name, level, __file__, 1, msg, ("node 1", "refused"), None)

    passed = [throttle.filter(record("aiokafka.conn", "Unable connect to node %s: %s")) for _ in range(1000)]
    assert passed.count(True) == 1
    assert throttle.filter(record("aiokafka.conn", "another message %s %s"))  # its own budget
    assert throttle.filter(record("accounts.handlers", "not noisy %s %s"))  # others untouched
    assert throttle.filter(record("aiokafka.conn", "Unable connect to node %s: %s", logging.INFO))
    now[0] = 61
    again = record("aiokafka.conn", "Unable connect to node %s: %s")
    assert throttle.filter(again) and again.suppressed == 999
