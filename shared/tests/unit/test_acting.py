"""The person the gateway acts for (`shared.acting`) and the values sealed for one service
(`shared.sealing`): what verifies, and everything that must not."""

import time
from collections.abc import Callable

import pytest
from joserfc import jwt
from joserfc.jwk import OctKey

from shared import acting
from shared.acting import DEV_SIGNING_KEY, DEV_VERIFY_KEY, InvalidPerson, Person, PersonSigner, PersonVerifier
from shared.sealing import Unsealable, seal, unseal
from shared.settings import BehindTheGateway

OPERATOR = Person("3f0e6a4e-0000-4000-8000-000000000001", "operator")


def test_a_header_minted_by_accounts_names_the_person_to_the_service_it_was_for() -> None:
    parent = Person("u-1", "parent", "acc-1")
    token = PersonSigner(DEV_SIGNING_KEY).mint(parent, "payments")
    assert PersonVerifier(DEV_VERIFY_KEY, "payments").verify(token) == parent
    assert OPERATOR.author == "operator:3f0e6a4e-0000-4000-8000-000000000001" and OPERATOR.is_staff
    assert Person("automation", "automation").author == "automation" and not parent.is_staff


# Minted when the test runs, not at collection (a header lives a minute: it would fail for that).
REFUSED: dict[str, Callable[[], str]] = {
    "another key": lambda: PersonSigner("another-key-entirely").mint(OPERATOR, "attendance"),
    "another service": lambda: PersonSigner(DEV_SIGNING_KEY).mint(OPERATOR, "payments"),
    "no such role": lambda: PersonSigner(DEV_SIGNING_KEY).mint(Person("x", "superuser"), "attendance"),
    "not a token": lambda: "not-a-token",
    # Signed with a shared secret an attacker might hold, as a symmetric JWT: refused.
    "symmetric": lambda: jwt.encode(
        {"alg": "HS256"},
        {"iss": acting.ISSUER, "sub": "x", "role": "admin", "aud": "attendance", "exp": int(time.time()) + 60},
        OctKey.import_key("s" * 32),
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_anything_else_is_refused(case: str) -> None:
    with pytest.raises(InvalidPerson):
        PersonVerifier(DEV_VERIFY_KEY, "attendance").verify(REFUSED[case]())


def test_a_header_lives_a_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    minted_at = time.time() - acting.LIFETIME_SECONDS - 10
    monkeypatch.setattr(acting.time, "time", lambda: minted_at)
    old = PersonSigner(DEV_SIGNING_KEY).mint(OPERATOR, "attendance")
    monkeypatch.undo()
    with pytest.raises(InvalidPerson):
        PersonVerifier(DEV_VERIFY_KEY, "attendance").verify(old)


def test_the_public_key_verifies_what_the_secret_signs() -> None:
    secret = "a-production-signing-secret-of-some-length"
    token = PersonSigner(secret).mint(OPERATOR, "notifications")
    assert PersonVerifier(acting.public_key_of(secret), "notifications").verify(token) == OPERATOR


def test_production_refuses_the_development_verify_key() -> None:
    strong = {"service_token": "s" * 32, "database_url": "postgresql://x"}
    with pytest.raises(ValueError, match="person_verify_key"):
        BehindTheGateway(environment="production", **strong)
    with pytest.raises(ValueError, match="Ed25519"):
        BehindTheGateway(environment="test", person_verify_key="short", **strong)
    good = acting.public_key_of("a-production-signing-secret-of-some-length")
    assert BehindTheGateway(environment="production", person_verify_key=good, **strong).person_verify_key == good


def test_a_sealed_value_opens_only_with_its_key() -> None:
    sealed = seal("https://portale/ufficio/password/nuova?token=abc", "the-sealing-secret")
    assert "token=abc" not in sealed
    assert unseal(sealed, "the-sealing-secret").endswith("token=abc")
    with pytest.raises(Unsealable):
        unseal(sealed, "another-secret")
    with pytest.raises(Unsealable):
        unseal(sealed[:-4] + "AAAA", "the-sealing-secret")
