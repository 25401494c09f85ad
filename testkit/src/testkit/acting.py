"""Playing the gateway in a service's own tests: what accounts adds to a call it forwards for a
person (`shared.acting`), minted with the development key the service verifies by default."""

from __future__ import annotations

import uuid
from collections.abc import Generator

import httpx

from shared.acting import DEV_SIGNING_KEY, HEADER, Person, PersonSigner

OPERATOR = Person(str(uuid.UUID(int=1)), "operator")  # a member of staff, for office routes


def person_header(audience: str, person: Person = OPERATOR, signing_key: str = DEV_SIGNING_KEY) -> dict[str, str]:
    return {HEADER: PersonSigner(signing_key).mint(person, audience)}


class ForPerson(httpx.Auth):
    """A client's auth that names `person` on every request (a fresh token each time: they
    live a minute), beside whatever credential the client sends."""

    def __init__(self, audience: str, person: Person = OPERATOR, signing_key: str = DEV_SIGNING_KEY) -> None:
        self._audience, self._person, self._signer = audience, person, PersonSigner(signing_key)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers.setdefault(HEADER, self._signer.mint(self._person, self._audience))
        yield request
