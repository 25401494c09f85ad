"""Codice fiscale validation (checksum and omocodia), by python-stdnum."""

from __future__ import annotations

from stdnum.exceptions import ValidationError
from stdnum.it import codicefiscale


class InvalidTaxCode(ValueError):
    """Raised for a codice fiscale whose format or check character is wrong."""


def normalise_tax_code(value: str) -> str:
    """Returns the upper-case compact form of a valid personal codice fiscale, or raises.

    Omocodia variants (digits replaced by letters) are valid codes of their own and are kept
    as written: the office registers the code printed on the person's card.
    """
    try:
        compact = codicefiscale.validate(value)
    except ValidationError as error:
        raise InvalidTaxCode("codice fiscale non valido") from error
    if len(compact) != 16:
        # 11-digit codes belong to companies, never to a parent or a pupil.
        raise InvalidTaxCode("codice fiscale non valido")
    return compact


def mask_tax_code(value: str) -> str:
    """Enough to recognise a code in an operator's screen, never enough to identify a minor."""
    return value[:3] + "*" * 10 + value[-3:] if len(value) == 16 else "*" * len(value)
