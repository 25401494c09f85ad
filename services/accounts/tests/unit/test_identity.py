"""Who the identity provider says the person is: the fiscal code and the names, from the claims."""

import pytest

from accounts.domain.exceptions import IdentityWithoutTaxCode
from accounts.domain.identity import identity_from_claims

CLAIMS = ["fiscalNumber", "https://attributes.eid.gov.it/fiscal_number", "fiscal_number"]


def test_spid_sends_the_fiscal_code_with_its_prefix_and_spids_own_names() -> None:
    found = identity_from_claims(
        {"sub": "x", "fiscalNumber": "TINIT-rssmra80a01h501u", "name": "Mario", "familyName": "Rossi"}, CLAIMS
    )
    assert (found.tax_code, found.first_name, found.last_name) == ("RSSMRA80A01H501U", "Mario", "Rossi")


def test_cie_names_the_fiscal_code_otherwise_and_uses_openid_names() -> None:
    claims = {
        "https://attributes.eid.gov.it/fiscal_number": "RSSMRA80A01H501U",
        "given_name": "Mario",
        "family_name": "Rossi",
        "name": "Mario Rossi",
    }
    found = identity_from_claims(claims, CLAIMS)
    assert (found.tax_code, found.display_name) == ("RSSMRA80A01H501U", "Mario Rossi")


def test_an_openid_full_name_alone_is_kept_whole() -> None:
    found = identity_from_claims({"fiscal_number": "RSSMRA80A01H501U", "name": "Mario Rossi"}, CLAIMS)
    assert (found.first_name, found.last_name) == ("Mario Rossi", "")


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "x", "email": "mario@example.it"},
        {"fiscalNumber": "TINIT-RSSMRA80A01H501X"},  # wrong check character
        {"fiscalNumber": 42},
    ],
)
def test_no_valid_fiscal_code_no_identity(claims: dict[str, object]) -> None:
    with pytest.raises(IdentityWithoutTaxCode):
        identity_from_claims(claims, CLAIMS)
