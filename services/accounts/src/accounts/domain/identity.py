"""The person an identity provider vouches for, read from the claims of SPID or CIE. Pure.

The fiscal code is the identity (SPID's `fiscalNumber` carries it as `TINIT-<code>`). Names:
OpenID Connect's `given_name` / `family_name` when present; else SPID's own `name` (the given
name, in SPID) and `familyName`. OpenID's `name` is a full name, used only when nothing else is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from accounts.domain.exceptions import IdentityWithoutTaxCode
from shared.tax_code import InvalidTaxCode, normalise_tax_code

SPID_PREFIX = "TINIT-"


class LoginMethod(StrEnum):
    SPID = "spid"
    CIE = "cie"
    PASSWORD = "password"


@dataclass(frozen=True)
class Identity:
    tax_code: str
    first_name: str
    last_name: str

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def identity_from_claims(claims: Mapping[str, object], fiscal_code_claims: Sequence[str]) -> Identity:
    raw = next((claims[name] for name in fiscal_code_claims if isinstance(claims.get(name), str)), None)
    if not isinstance(raw, str):
        raise IdentityWithoutTaxCode()
    code = raw.strip().upper().removeprefix(SPID_PREFIX)
    try:
        tax_code = normalise_tax_code(code)
    except InvalidTaxCode as error:
        raise IdentityWithoutTaxCode() from error
    first, last = _names(claims)
    return Identity(tax_code, first, last)


def _names(claims: Mapping[str, object]) -> tuple[str, str]:
    def text(name: str) -> str:
        value = claims.get(name)
        return value.strip() if isinstance(value, str) else ""

    if text("given_name") or text("family_name"):
        return text("given_name"), text("family_name")
    if text("familyName"):
        return text("name"), text("familyName")
    return text("name"), ""
