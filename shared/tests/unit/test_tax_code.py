import random

import pytest

from shared.tax_code import InvalidTaxCode, mask_tax_code, normalise_tax_code
from testkit.data import tax_code


def test_a_valid_code_is_normalised() -> None:
    assert normalise_tax_code("rssmra85t10a562s") == "RSSMRA85T10A562S"


def test_omocodia_variant_is_valid() -> None:
    # The 7th-from-last digit of RSSMRA85T10A562S replaced by its letter (2 -> N): a real variant
    # issued when two people share a code; its check character differs.
    assert normalise_tax_code("RSSMRA85T10A56NH") == "RSSMRA85T10A56NH"


@pytest.mark.parametrize("value", ["RSSMRA85T10A562X", "RSSMRA85T10A562", "12345678901", "", "RSSMRA85Z10A562S"])
def test_invalid_codes_are_refused(value: str) -> None:
    with pytest.raises(InvalidTaxCode):
        normalise_tax_code(value)


def test_generated_codes_are_valid() -> None:
    rng = random.Random(7)
    for _ in range(200):
        code = tax_code(rng)
        assert normalise_tax_code(code) == code


def test_mask_hides_the_middle() -> None:
    assert mask_tax_code("RSSMRA85T10A562S") == "RSS**********62S"
