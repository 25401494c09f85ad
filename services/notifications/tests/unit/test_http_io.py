"""How the IO sender reads IO's answers (at most once): what may be retried and what not.
IO's side is played by httpx's mock transport; the stand-in tests play it for real."""

from collections.abc import Callable

import httpx
import pytest

from notifications.adapters.http_io import IoMessageSender
from notifications.domain.exceptions import DeliveryFailed, Unreachable
from notifications.domain.io import IoMessage

MESSAGE = IoMessage("Credito in esaurimento", "m" * 80)
Reply = Callable[[httpx.Request], httpx.Response]


def allowed(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"sender_allowed": True})


async def send(profile: Reply, message: Reply) -> str | None:
    def route(request: httpx.Request) -> httpx.Response:
        return profile(request) if request.url.path.endswith("/profiles") else message(request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(route)) as http:
        return await IoMessageSender(http, "https://io.example/api/v1", "key", window_seconds=0.01).send_io(
            "RSSMRA80A01H501U", MESSAGE
        )


def fails(error: type[Exception]) -> Reply:
    def reply(request: httpx.Request) -> httpx.Response:
        raise error("boom", request=request)

    return reply


def status(code: int) -> Reply:
    return lambda request: httpx.Response(code, json={"title": "Problem", "detail": "RSSMRA80A01H501U"})


async def test_a_sent_message_answers_ios_id_and_the_key_goes_on_both_requests() -> None:
    keys: list[str | None] = []

    def created(request: httpx.Request) -> httpx.Response:
        keys.append(request.headers.get("Ocp-Apim-Subscription-Key"))
        return httpx.Response(201, json={"id": "01BX9NSMKVXXS5PSP2FATZMYYY"})

    def profile(request: httpx.Request) -> httpx.Response:
        keys.append(request.headers.get("Ocp-Apim-Subscription-Key"))
        return allowed(request)

    assert await send(profile, created) == "01BX9NSMKVXXS5PSP2FATZMYYY"
    assert keys == ["key", "key"]


@pytest.mark.parametrize(
    ("profile", "message", "retryable"),
    [
        (fails(httpx.ConnectError), status(201), True),  # nothing left
        (fails(httpx.ReadTimeout), status(201), True),  # only the profile was asked: nothing sent
        (status(503), status(201), True),
        (status(403), status(201), False),  # the key, or the caller's address, is refused: fix the setup
        (allowed, fails(httpx.ConnectError), True),
        (allowed, status(429), True),  # IO certainly did not take it
        (allowed, fails(httpx.ReadTimeout), False),  # the message may have arrived: never twice
        (allowed, status(500), False),
        (allowed, status(400), False),
    ],
)
async def test_only_what_io_certainly_did_not_take_is_retried(profile: Reply, message: Reply, retryable: bool) -> None:
    with pytest.raises(DeliveryFailed) as failure:
        await send(profile, message)
    assert failure.value.retryable is retryable and not isinstance(failure.value, Unreachable)
    assert "RSSMRA80A01H501U" not in failure.value.reason  # IO's detail may quote the request: not kept


async def test_not_on_io_and_the_service_turned_off_are_told_apart() -> None:
    with pytest.raises(Unreachable) as absent:
        await send(status(404), status(201))
    assert (absent.value.refused, absent.value.retryable) == (False, False)
    with pytest.raises(Unreachable) as refused:
        await send(lambda r: httpx.Response(200, json={"sender_allowed": False}), status(201))
    assert refused.value.refused is True
