"""A deliberately small HTTP layer: plain ASGI, one dict lookup per request, Daraja-shaped errors.

Why not FastAPI routes: the STK Push hot path must stay cheap (≥1,500 pushes/s is the goal) and
every failure — unknown path, wrong method, oversized or broken body, a bug of ours — must leave as
Daraja's JSON envelope, never as a framework's own error page.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from daraja_sim.errors import INTERNAL, METHOD_NOT_ALLOWED, NOT_FOUND, DarajaError

log = logging.getLogger("daraja_sim")

JSON_TYPE = b"application/json"


@dataclass(slots=True)
class Request:
    """One HTTP request, body already read (and size-limited)."""

    method: str
    path: str
    query_string: str
    headers: dict[str, str]
    body: bytes
    params: dict[str, str] = field(default_factory=dict)
    parsed: Any = None

    @property
    def query(self) -> dict[str, str]:
        """Return the query string's parameters (last value wins)."""
        return {k: v[-1] for k, v in parse_qs(self.query_string, keep_blank_values=True).items()}

    def json_object(self, error: DarajaError) -> dict[str, Any]:
        """Return the body as a JSON object, or raise `error` (Daraja names the first field).

        A missing or non-JSON Content-Type fails the same way: Daraja then reports the first field
        it checks as invalid (REFERENCE.md §1, FAQ #9).
        """
        if "json" not in self.headers.get("content-type", ""):
            raise error
        try:
            data = json.loads(self.body)
        except (ValueError, UnicodeDecodeError):
            raise error from None
        if not isinstance(data, dict):
            raise error
        self.parsed = data
        return data

    def form(self) -> dict[str, str]:
        """Return an `application/x-www-form-urlencoded` body (the phone page's forms)."""
        text = self.body.decode("utf-8", "replace")
        return {k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()}


@dataclass(slots=True)
class Response:
    """What a handler answers; `json_response`/`html_response` build the usual ones."""

    status: int
    body: bytes
    content_type: bytes = JSON_TYPE
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)


def json_response(data: Any, status: int = 200) -> Response:
    """Serialise `data` compactly, as Daraja does."""
    return Response(status, json.dumps(data, separators=(",", ":")).encode())


def html_response(text: str, status: int = 200) -> Response:
    """Return an HTML page."""
    return Response(status, text.encode(), b"text/html; charset=utf-8")


def error_response(error: DarajaError, request_id: str) -> Response:
    """Return Daraja's `{"requestId","errorCode","errorMessage"}` envelope for `error`."""
    return json_response(error.envelope(request_id), error.status)


Handler = Callable[[Request], Awaitable[Response]]


class Router:
    """Exact paths first, then prefixes (for `/phone/<msisdn>` style pages)."""

    def __init__(self) -> None:
        self._exact: dict[str, dict[str, Handler]] = {}
        self._prefixes: list[tuple[str, dict[str, Handler]]] = []

    def add(self, method: str, path: str, handler: Handler) -> None:
        """Serve `method path` with `handler`; a path ending in `/*` matches a prefix."""
        if path.endswith("/*"):
            prefix = path[:-1]
            for existing, methods in self._prefixes:
                if existing == prefix:
                    methods[method] = handler
                    return
            self._prefixes.append((prefix, {method: handler}))
            self._prefixes.sort(key=lambda item: -len(item[0]))
        else:
            self._exact.setdefault(path, {})[method] = handler

    def resolve(self, method: str, path: str) -> tuple[Handler, str]:
        """Return the handler and the path's tail after a prefix; raise 404/405 envelopes."""
        methods = self._exact.get(path)
        tail = ""
        if methods is None:
            for prefix, candidate in self._prefixes:
                if path.startswith(prefix):
                    methods, tail = candidate, path[len(prefix) :]
                    break
        if methods is None:
            raise NOT_FOUND
        handler = methods.get(method) or (methods.get("GET") if method == "HEAD" else None)
        if handler is None:
            raise METHOD_NOT_ALLOWED
        return handler, tail


class BodyTooLarge(Exception):
    """The request body passed the configured limit."""


async def read_body(receive: Callable[[], Awaitable[dict[str, Any]]], limit: int) -> bytes:
    """Read the whole request body, refusing (not buffering) anything past `limit` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


async def send_response(send: Callable[[dict[str, Any]], Awaitable[None]], resp: Response) -> None:
    """Write `resp` to the ASGI `send` channel."""
    headers = [
        (b"content-type", resp.content_type),
        (b"content-length", str(len(resp.body)).encode()),
        *resp.headers,
    ]
    await send({"type": "http.response.start", "status": resp.status, "headers": headers})
    await send({"type": "http.response.body", "body": resp.body})


def internal_error(exc: BaseException) -> DarajaError:
    """Log an unexpected failure of ours and return the envelope Daraja shows for it."""
    log.error("unhandled error in simulator", exc_info=exc)
    return INTERNAL
