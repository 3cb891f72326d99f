"""The one boundary where httpx meets the client: requests, auth header, error translation.

Nothing above this module sees an httpx exception or a non-2xx response; they become the
`backend_client.errors` tree here, with the backend's own message when it sent one.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import Any, TypeVar

import httpx

from backend_client._wire import WireError
from backend_client.errors import (
    AuthExpired,
    DukaError,
    Forbidden,
    InvalidInput,
    NetworkError,
    NotFound,
    RateLimited,
    ServerError,
)
from backend_client.tokens import TokenStore

USER_AGENT = "duka-backend-client/0.1"
T = TypeVar("T")


def decode_model(convert: Callable[[Any], T], data: Any) -> T:
    """Build a model from JSON, turning a wrongly shaped answer into one `ServerError`."""
    try:
        return convert(data)
    except (WireError, KeyError, TypeError, ValueError) as exc:
        raise ServerError(
            "The server sent an answer this version of the app does not understand. "
            "Update the app or ask the shop owner.",
            body=data,
        ) from exc


@contextlib.contextmanager
def translate_transport_errors() -> Iterator[None]:
    """Turn httpx's transport exceptions into `NetworkError` with a message for the cashier."""
    try:
        yield
    except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
        # Nothing reached the backend: always safe to retry.
        raise NetworkError(
            "Cannot reach the server. Check the phone's data connection and try again."
        ) from exc
    except httpx.TimeoutException as exc:
        raise NetworkError(
            "The server did not answer in time. Try again — nothing will be charged twice."
        ) from exc
    except httpx.TransportError as exc:
        raise NetworkError(
            "The connection to the server was lost. Try again — nothing will be charged twice."
        ) from exc
    except httpx.DecodingError as exc:
        raise ServerError("The server sent an answer this app cannot read.") from exc


def _field_name(loc: Any) -> str:
    """`["body", "amount"]` → `"amount"`; FastAPI puts where-it-came-from first."""
    parts = [str(p) for p in loc] if isinstance(loc, list | tuple) else [str(loc)]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    return ".".join(parts) or "request"


def _field_errors(detail: Any) -> dict[str, str]:
    errors: dict[str, str] = {}
    if isinstance(detail, list):
        for item in detail:
            if isinstance(item, Mapping):
                field = _field_name(item.get("loc") or item.get("field") or "request")
                message = str(item.get("msg") or item.get("message") or "Invalid value")
                errors.setdefault(field, message.removeprefix("Value error, "))
    elif isinstance(detail, Mapping):
        errors = {str(k): str(v) for k, v in detail.items()}
    return errors


def _parse_error_body(body: Any) -> tuple[str | None, str | None, dict[str, str]]:
    """Return (message, code, field errors) from an error body of any shape we know."""
    if not isinstance(body, Mapping):
        return None, None, {}
    envelope = body["error"] if isinstance(body.get("error"), Mapping) else body
    code = envelope.get("code") if isinstance(envelope.get("code"), str) else None
    message = envelope.get("message") if isinstance(envelope.get("message"), str) else None
    fields = _field_errors(envelope.get("fields") or envelope.get("field_errors"))
    detail = envelope.get("detail")
    if isinstance(detail, str):
        message = message or detail
        if isinstance(envelope.get("field"), str) and envelope["field"]:
            fields = fields or {envelope["field"]: detail}
    elif isinstance(detail, Mapping):
        nested_message, nested_code, nested_fields = _parse_error_body(detail)
        message, code = message or nested_message, code or nested_code
        fields = fields or nested_fields
    elif isinstance(detail, list):
        fields = fields or _field_errors(detail)
    if message is None and fields:
        message = next(iter(fields.values()))
    return message, code, fields


def error_from_response(response: httpx.Response) -> DukaError:
    """Build the error for a non-2xx answer, preferring the backend's own wording.

    Understands the backend's `{"code", "detail"}` body, FastAPI's `{"detail": [validation
    errors]}` and an `{"error": {"code", "message", "fields"}}` envelope.
    """
    try:
        body: Any = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        body = None
    message, code, fields = _parse_error_body(body)
    status = response.status_code
    common: dict[str, Any] = {
        "code": code,
        "http_status": status,
        "request_id": response.headers.get("x-request-id"),
        "body": body,
    }
    if status == 401:
        return AuthExpired(message, **common)
    if status == 403:
        return Forbidden(message, **common)
    if status == 404:
        return NotFound(message, **common)
    if status == 429:
        retry_after = response.headers.get("retry-after", "")
        seconds = float(retry_after) if retry_after.isdigit() else None
        return RateLimited(message, retry_after=seconds, **common)
    if 400 <= status < 500:
        return InvalidInput(message, field_errors=fields, **common)
    return ServerError(None, **common)


class HttpCore:
    """One pooled `httpx.AsyncClient` plus the session token, shared by every call."""

    def __init__(
        self,
        base_url: str,
        *,
        token_store: TokenStore,
        transport: httpx.AsyncBaseTransport | None,
        timeout: float,
    ) -> None:
        self.token_store = token_store
        self._token: str | None = None
        self._token_loaded = False
        self._client = httpx.AsyncClient(
            base_url=base_url,
            transport=transport,
            timeout=httpx.Timeout(timeout),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        )

    async def token(self) -> str | None:
        """Return the session token, reading the store once per client."""
        if not self._token_loaded:
            self._token = await self.token_store.load()
            self._token_loaded = True
        return self._token

    async def set_token(self, token: str | None) -> None:
        """Remember (or forget, with None) the session token, in memory and in the store."""
        if token is None:
            await self.token_store.clear()
        else:
            await self.token_store.save(token)
        self._token, self._token_loaded = token, True

    async def _headers(self, auth: bool, extra: Mapping[str, str] | None) -> dict[str, str]:
        headers = dict(extra or {})
        if auth:
            token = await self.token()
            if token is None:
                raise AuthExpired("Please sign in first.")
            headers["Authorization"] = f"Bearer {token}"
        return headers

    async def _check(self, response: httpx.Response, headers: Mapping[str, str]) -> httpx.Response:
        if response.is_success:
            return response
        await response.aread()
        error = error_from_response(response)
        sent = headers.get("Authorization")
        if sent is not None and isinstance(error, AuthExpired) and sent == f"Bearer {self._token}":
            # The backend refused this token: never send it again. Only this one — a late
            # answer to an old token must not sign out a session started since.
            await self.set_token(None)
        raise error

    async def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: bool = True,
    ) -> httpx.Response:
        """Send one request; return the 2xx response or raise the matching `DukaError`."""
        sent_headers = await self._headers(auth, headers)
        query = {k: v for k, v in (params or {}).items() if v is not None}
        with translate_transport_errors():
            response = await self._client.request(
                method, path, json=json_body, params=query, headers=sent_headers
            )
        return await self._check(response, sent_headers)

    async def json(self, method: str, path: str, **kwargs: Any) -> Any:
        """Send a request and decode its JSON body (`ServerError` if it is not JSON)."""
        response = await self.request(method, path, **kwargs)
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ServerError("The server sent an answer this app cannot read.") from exc

    async def post_idempotent(
        self, path: str, body: Any, *, key: str, attempts: int, first_delay: float = 0.25
    ) -> Any:
        """POST something that moves money, resending only after no answer, always with `key`.

        The backend answers a repeated `Idempotency-Key` with the first result, so a resend can
        never prompt a customer or send money twice. Every error raised carries `key` as
        `idempotency_key`, so the app can retry the same intent later.
        """
        delay = first_delay
        for attempt in range(1, attempts + 1):
            try:
                return await self.json(
                    "POST", path, json_body=body, headers={"Idempotency-Key": key}
                )
            except DukaError as exc:
                exc.idempotency_key = key
                if not isinstance(exc, NetworkError) or attempt >= attempts:
                    raise
            await asyncio.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    @contextlib.asynccontextmanager
    async def stream(
        self, path: str, *, headers: Mapping[str, str] | None = None
    ) -> AsyncIterator[httpx.Response]:
        """Open a long-lived GET (the event stream); read timeouts are the caller's watchdog."""
        sent_headers = await self._headers(True, headers)
        timeout = httpx.Timeout(self._client.timeout.connect, read=None)
        with translate_transport_errors():
            async with self._client.stream(
                "GET", path, headers=sent_headers, timeout=timeout
            ) as response:
                await self._check(response, sent_headers)
                yield response

    async def aclose(self) -> None:
        await self._client.aclose()
