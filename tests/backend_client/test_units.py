"""Pure pieces of the client: URL safety, error translation, SSE parsing, backoff, token stores."""

from __future__ import annotations

import json
import random
from typing import Any

import httpx
import keyring
import keyring.backend
import keyring.errors
import pytest
from keyring.backends import fail

from backend_client import (
    AuthExpired,
    DukaClient,
    FletSecureTokenStore,
    Forbidden,
    InsecureURL,
    InvalidInput,
    KeyringTokenStore,
    MemoryTokenStore,
    NetworkError,
    NotFound,
    RateLimited,
    ServerError,
    TokenStore,
    TokenStoreUnavailable,
)
from backend_client._backoff import Backoff
from backend_client._http import error_from_response
from backend_client._sse import RawEvent, SSEParser
from backend_client._urls import check_base_url
from backend_client.events import decode_event
from tests.support.client_fixtures import payment_json
from tests.support.servers import free_port


@pytest.mark.parametrize(
    "url",
    [
        "https://duka.example.com",
        "https://duka.example.com/",
        "http://localhost:8000",
        "http://127.0.0.1:8000",
        "http://[::1]:8000",
        "http://192.168.1.20:8000",
        "http://10.0.0.5",
        "http://172.16.3.4",
        "http://till.local:8000",
        "http://backend.test",
    ],
)
def test_safe_urls_are_accepted(url: str) -> None:
    assert not check_base_url(url).endswith("/")


@pytest.mark.parametrize(
    "url", ["http://duka.example.com", "http://8.8.8.8", "ftp://duka.example.com", "duka.co.ke"]
)
def test_plain_http_to_public_hosts_is_refused(url: str) -> None:
    with pytest.raises(InsecureURL) as caught:
        DukaClient(url)
    assert "https://" in caught.value.user_message


def test_plain_http_can_be_allowed_explicitly() -> None:
    assert check_base_url("http://duka.example.com/", allow_insecure=True) == (
        "http://duka.example.com"
    )


def _response(status: int, body: Any = None, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


def test_backend_error_body_becomes_a_cashier_message() -> None:
    error = error_from_response(
        _response(422, {"code": "invalid_input", "detail": "The amount must be at least KSh 1."})
    )
    assert isinstance(error, InvalidInput)
    assert error.user_message == "The amount must be at least KSh 1."
    assert error.code == "invalid_input"
    assert error.http_status == 422


def test_field_errors_from_fastapi_validation_list() -> None:
    body = {"detail": [{"loc": ["body", "amount"], "msg": "Value error, Whole shillings only"}]}
    error = error_from_response(_response(422, body))
    assert isinstance(error, InvalidInput)
    assert error.field_errors == {"amount": "Whole shillings only"}
    assert error.user_message == "Whole shillings only"


def test_field_named_by_the_backend_is_kept() -> None:
    body = {"code": "invalid_input", "detail": "Enter a Kenyan number.", "field": "phone"}
    error = error_from_response(_response(422, body))
    assert isinstance(error, InvalidInput)
    assert error.field_errors == {"phone": "Enter a Kenyan number."}


@pytest.mark.parametrize(
    ("status", "kind"),
    [(401, AuthExpired), (403, Forbidden), (404, NotFound), (429, RateLimited), (500, ServerError)],
)
def test_status_maps_to_how_the_caller_reacts(status: int, kind: type[Exception]) -> None:
    assert isinstance(error_from_response(_response(status, {"detail": "x"})), kind)


def test_server_error_never_shows_the_raw_body() -> None:
    error = error_from_response(httpx.Response(502, text="<html>Bad gateway</html>"))
    assert isinstance(error, ServerError)
    assert "html" not in error.user_message


def test_rate_limited_reads_retry_after() -> None:
    error = error_from_response(_response(429, {"detail": "Wait."}, **{"Retry-After": "30"}))
    assert isinstance(error, RateLimited)
    assert error.retry_after == 30


def test_sse_parser_follows_the_spec() -> None:
    parser = SSEParser()
    lines = [": ping", "", "id: 7", "event: payment.paid", "data: {", "data: }", "", "retry: x"]
    events = [parser.feed(line) for line in lines]
    assert events[:6] == [None] * 6
    assert events[6] == RawEvent(id="7", event="payment.paid", data="{\n}")
    assert parser.feed("data:no space") is None
    assert parser.feed("") == RawEvent(id=None, event="message", data="no space")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_sse_parser_reassembles_events_split_anywhere(newline: str) -> None:
    body = newline.join(["retry: 2000", "id: 4", ": connected", "", "id: 5", "event: a"])
    body += newline + newline.join(["data: x", "", ": heartbeat", "", "data: y", "", ""])
    expected = [
        RawEvent(id="4", event="message", data="", retry_ms=2000),
        RawEvent(id="5", event="a", data="x"),
        RawEvent(id=None, event="message", data="y"),
    ]
    for size in (1, 2, 3, 7, len(body)):
        parser = SSEParser()
        got = [e for i in range(0, len(body), size) for e in parser.feed_text(body[i : i + size])]
        assert got == expected, size


def test_backoff_grows_with_jitter_and_is_capped() -> None:
    backoff = Backoff(0.5, 4.0, random.Random(1))
    delays = [backoff.next_delay() for _ in range(8)]
    ceilings = [0.5, 1, 2, 4, 4, 4, 4, 4]
    assert all(c / 2 <= d <= c for d, c in zip(delays, ceilings, strict=True))
    assert len(set(delays)) == len(delays)  # jittered, not lock-step
    backoff.reset()
    assert backoff.next_delay() <= 0.5


class _DictKeyring(keyring.backend.KeyringBackend):
    """An in-memory keyring backend, standing in for the OS's keychain."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.data.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.data[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.data:
            raise keyring.errors.PasswordDeleteError("not found")
        del self.data[(service, username)]


class _FakeFletStorage:
    """Stands in for flet_secure_storage.SecureStorage, which needs a running Flutter page."""

    def __init__(self) -> None:
        self.data: dict[str, str] = {}

    async def get(self, key: str) -> str | None:
        return self.data.get(key)

    async def set(self, key: str, value: str) -> None:
        self.data[key] = value

    async def remove(self, key: str) -> None:
        self.data.pop(key, None)


@pytest.fixture
def os_keyring() -> Any:
    previous = keyring.get_keyring()
    backend = _DictKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.mark.parametrize("kind", ["memory", "keyring", "flet"])
async def test_token_stores_round_trip_and_clear_idempotently(kind: str, os_keyring: Any) -> None:
    store: TokenStore = {
        "memory": MemoryTokenStore,
        "keyring": KeyringTokenStore,
        "flet": lambda: FletSecureTokenStore(_FakeFletStorage()),
    }[kind]()
    assert isinstance(store, TokenStore)
    assert await store.load() is None
    await store.save("tok-1")
    await store.save("tok-2")
    assert await store.load() == "tok-2"
    await store.clear()
    await store.clear()
    assert await store.load() is None


async def test_keyring_without_a_backend_degrades_with_a_clear_error() -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with pytest.raises(TokenStoreUnavailable) as caught:
            await KeyringTokenStore().save("tok")
    finally:
        keyring.set_keyring(previous)
    assert "sign in each time" in caught.value.user_message


async def test_unreachable_backend_is_a_network_error_keeping_the_payment_key() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    async with DukaClient(url, token_store=MemoryTokenStore("t"), payment_attempts=2) as client:
        with pytest.raises(NetworkError) as caught:
            await client.request_payment(amount=10, phone="0700000000")
    assert caught.value.should_retry
    assert caught.value.idempotency_key
    assert "connection" in caught.value.user_message


def test_events_carry_a_typed_payment_when_they_hold_one() -> None:
    body = json.dumps({"id": 5, "kind": "payment.paid", "payment": payment_json(9)})
    event = decode_event(RawEvent(id="5", event="payment.paid", data=body))
    assert event.id == 5
    assert event.payment is not None
    assert event.payment.receipt == "TST0000009"
    assert event.payment.paid_at is not None and event.payment.paid_at.tzinfo is not None
    newer = decode_event(RawEvent(id="6", event="shop.note", data='{"payment": {"id": "x"}}'))
    assert newer.payment is None  # a shape this version cannot type still arrives, untyped
    assert newer.data["payment"]["id"] == "x"


async def test_a_late_401_for_an_old_token_keeps_the_new_session() -> None:
    """Wire-level stand-in (httpx.MockTransport): the 401 for the old token arrives after the
    cashier has already signed in again."""
    store = MemoryTokenStore("old")
    client: DukaClient

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/session":
            now = "2026-12-04T10:00:00+00:00"
            body = {"token": "new", "role": "cashier", "user_id": 2, "username": "amina"}
            return httpx.Response(200, json={**body, "expires_at": now})
        if request.headers["Authorization"] == "Bearer old":
            await client.sign_in("amina", "4821")  # meanwhile, a fresh session
        return httpx.Response(401, json={"code": "auth", "detail": "Please sign in again."})

    client = DukaClient(
        "http://backend.test", token_store=store, transport=httpx.MockTransport(handler)
    )
    async with client:
        with pytest.raises(AuthExpired):
            await client.payments()
        assert await store.load() == "new"
        with pytest.raises(AuthExpired):
            await client.payments()  # now the new token is refused: it is forgotten
        assert await store.load() is None
