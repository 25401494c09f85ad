"""What the office's Terminali page says of a school's tablet: waiting for its code, the code
expired, paired, revoked."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from accounts.domain.terminals import SchoolTerminal, TerminalState

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def terminal(paired: bool, revoked: bool, code_until: datetime | None) -> SchoolTerminal:
    created = NOW - timedelta(days=1)
    return SchoolTerminal(
        uuid.uuid4(),
        "primaria-garibaldi",
        "Refettorio A",
        created,
        created if paired else None,
        NOW if revoked else None,
        code_until,
    )


@pytest.mark.parametrize(
    ("paired", "revoked", "code_until", "state"),
    [
        (False, False, NOW + timedelta(minutes=5), TerminalState.WAITING),
        (False, False, NOW, TerminalState.CODE_EXPIRED),
        (True, False, None, TerminalState.PAIRED),
        (True, False, NOW + timedelta(minutes=5), TerminalState.WAITING),  # a new code: the old tablet is out
        (True, True, None, TerminalState.REVOKED),
        (False, True, NOW + timedelta(minutes=5), TerminalState.REVOKED),  # a code never used, revoked
    ],
)
def test_the_state_of_a_schools_tablet(
    paired: bool, revoked: bool, code_until: datetime | None, state: TerminalState
) -> None:
    assert terminal(paired, revoked, code_until).state(NOW) is state
