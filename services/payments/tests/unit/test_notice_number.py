import uuid
from datetime import date

import pytest

from payments.domain.notice import Notice, NoticeNumber, NoticeState, cents_of, euros


def test_the_worked_example_of_the_notes() -> None:
    number = NoticeNumber.build("02", 2025000001234)
    assert number.value == "302202500000123451"
    assert number.iuv == "02202500000123451"
    assert number.printed == "3022 0250 0000 1234 51"
    assert len(number.printed) == 22


@pytest.mark.parametrize("real", ["300715700000000032", "347164923022221054", "302202500000123451"])
def test_real_notices_satisfy_the_rule(real: str) -> None:
    assert NoticeNumber(real).has_valid_check_digits()
    assert NoticeNumber.build(real[1:3], int(real[3:16])).value == real


def test_check_digits_are_always_two() -> None:
    # 3020000000000010 mod 93 = 0: written `00`, never `0`.
    number = NoticeNumber.build("02", 10)
    assert number.value == "302000000000001000" and number.has_valid_check_digits()
    assert not NoticeNumber("302000000000001001").has_valid_check_digits()


@pytest.mark.parametrize(("segregation", "base"), [("2", 1), ("ab", 1), ("02", -1), ("02", 10**13)])
def test_out_of_range_parts_are_refused(segregation: str, base: int) -> None:
    with pytest.raises(ValueError, match="digits"):
        NoticeNumber.build(segregation, base)


def test_soap_amounts_have_two_decimals() -> None:
    assert [euros(c) for c in (1, 10, 5000, 123456)] == ["0.01", "0.10", "50.00", "1234.56"]
    assert [cents_of(a) for a in ("0.01", "50.00", "1234.56")] == [1, 5000, 123456]
    with pytest.raises(ValueError, match="cents"):
        cents_of("1.005")


def test_an_open_notice_past_its_due_date_is_expired() -> None:
    notice = Notice("3" * 18, "3" * 17, uuid.uuid4(), 100, "X", "Y", "Z", date(2026, 1, 31), NoticeState.OPEN)
    assert notice.state_on(date(2026, 1, 31)) is NoticeState.OPEN
    assert notice.state_on(date(2026, 2, 1)) is NoticeState.EXPIRED
