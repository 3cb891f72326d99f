"""The one place `httpx` is used: sends requests and turns every failure into a DarajaError.

Transport failures are split by whether the request can have reached Daraja: a failed connect (or
no free pooled connection) sent nothing, so it is `ConnectFailed` and safe to retry; anything after
the bytes left (read timeout, dropped connection) is `OutcomeUnknown`. Daraja's error envelope
(`{"requestId", "errorCode", "errorMessage"}`, REFERENCE.md §1.1) is mapped by `errorCode`, since
HTTP statuses alone do not say how to react (spike arrest and "merchant does not exist" are
both 500).
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from backend.daraja.errors import (
    AuthError,
    ConnectFailed,
    DarajaError,
    DarajaUnavailable,
    DuplicateRequest,
    InvalidRequest,
    OutcomeUnknown,
    RateLimited,
    RejectedByMpesa,
)

# Answers that mean "this token is stale or wrong": worth exactly one refresh (REFERENCE.md §1.2).
TOKEN_REJECTED_CODES = frozenset(
    {"404.001.03", "400.003.01", "401.002.01", "401.003.01", "404.001.04"}
)
STILL_PROCESSING = "being processed"

_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)
# Encodes exactly as httpx's `json=` does, but built once instead of once per request.
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)
# Daraja's paths are a fixed handful; more than this means a caller is building paths from data.
_MAX_CACHED_URLS = 64


class TokenRejected(AuthError):
    """Daraja refused the bearer token; the session refreshes once and retries."""


class HttpCore:
    """One pooled `httpx.AsyncClient` per Daraja client, with explicit timeouts and limits."""

    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None,
        timeout: float | httpx.Timeout,
        max_connections: int,
    ) -> None:
        if not isinstance(timeout, httpx.Timeout):
            # Waiting for a pooled connection sends nothing, so it may wait as long as a read.
            timeout = httpx.Timeout(timeout, connect=min(timeout, 10.0))
        self._client = httpx.AsyncClient(
            base_url=base_url,
            transport=transport,
            timeout=timeout,
            limits=httpx.Limits(
                max_connections=max_connections, max_keepalive_connections=max_connections
            ),
            headers={"Accept": "application/json"},
        )
        self._urls: dict[str, httpx.URL] = {}
        self._bearer_token = ""
        self._bearer_headers: dict[str, str] = {}

    async def send(
        self,
        method: str,
        path: str,
        *,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
    ) -> httpx.Response:
        """Send one request; raise ConnectFailed (nothing sent) or OutcomeUnknown (maybe sent)."""
        try:
            return await self._client.request(
                method, self._url(path), content=content, headers=headers, params=params
            )
        except _NOT_SENT as exc:
            raise ConnectFailed(f"could not connect to Daraja: {type(exc).__name__}") from exc
        except httpx.HTTPError as exc:
            # Anything else (read timeout, dropped connection, undecodable answer) happened after
            # the request may have left.
            raise OutcomeUnknown(
                f"no usable answer from Daraja after sending {path}: {type(exc).__name__}"
            ) from exc

    async def post_json(self, path: str, body: dict[str, Any], token: str) -> dict[str, Any]:
        """POST `body` with the bearer token and return the decoded 2xx JSON object."""
        if token != self._bearer_token:  # one headers dict per token, not one per request
            self._bearer_headers = {
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
            }
            self._bearer_token = token
        content = _JSON.encode(body).encode()
        response = await self.send("POST", path, content=content, headers=self._bearer_headers)
        return decode(response)

    def _url(self, path: str) -> httpx.URL:
        """`path` joined to the base URL, as httpx would join it, worked out once per path.

        httpx parses a relative path and merges it with `base_url` on every request, which costs
        more than all of this client's own checks (bench/daraja_client.py); an absolute
        `httpx.URL` skips that work and reaches the same address.
        """
        url = self._urls.get(path)
        if url is None:
            url = self._client.build_request("GET", path).url
            if len(self._urls) < _MAX_CACHED_URLS:
                self._urls[path] = url
        return url

    async def aclose(self) -> None:
        await self._client.aclose()


def decode(response: httpx.Response) -> dict[str, Any]:
    """Return a 2xx JSON object body, or raise the DarajaError its status and envelope mean."""
    body = json_or_none(response.content)
    if response.is_success:
        if not isinstance(body, dict):
            # Daraja answered but not with JSON: whether it acted is unknowable.
            raise OutcomeUnknown(
                f"Daraja answered HTTP {response.status_code} without a JSON object",
                http_status=response.status_code,
                raw=response.text[:500],
            )
        return body
    raise error_from_response(response.status_code, body, response.text[:500])


def json_or_none(content: bytes) -> Any:
    if not content:
        return None
    try:
        return json.loads(content)
    except ValueError:
        return None


def error_from_response(status: int, body: Any, text: str) -> DarajaError:  # noqa: PLR0911 - one return per Daraja case reads best
    """Map a non-2xx answer to the exception class that says how the caller must react."""
    envelope = body if isinstance(body, dict) else {}
    code = _str_or_none(envelope.get("errorCode"))
    message = _str_or_none(envelope.get("errorMessage")) or f"HTTP {status}"
    kwargs: dict[str, Any] = {
        "code": code,
        "request_id": _str_or_none(envelope.get("requestId")),
        "raw": body if body is not None else text,
        "http_status": status,
    }
    text_lower = message.lower()
    if code in TOKEN_REJECTED_CODES:
        return TokenRejected(f"{code} {message}", **kwargs)
    if code in {"500.003.02", "500.003.03"} or status == 429:
        return RateLimited(f"{code} {message}", **kwargs)
    if code == "500.002.1001" and "duplicate" in text_lower:
        return DuplicateRequest(f"{code} {message}", **kwargs)
    if code == "500.001.1001":
        return RejectedByMpesa(
            f"{code} {message}", user_message=_stk_user_message(text_lower), **kwargs
        )
    if code == "500.003.1001" and "already registered" in text_lower:
        return RejectedByMpesa(
            f"{code} {message}",
            user_message="M-PESA already has URLs for this shortcode; remove them on the portal.",
            **kwargs,
        )
    if (code or "").startswith("400.008") or status in {401, 403}:
        return AuthError(f"{code} {message}", **kwargs)
    if 400 <= status < 500:
        return InvalidRequest(
            f"{code} {message}",
            user_message=f"M-PESA refused the details ({message}). Check them and try again.",
            **kwargs,
        )
    if status == 504:
        return OutcomeUnknown(f"{code} {message}", **kwargs)
    return DarajaUnavailable(f"{code} {message}", **kwargs)


def _stk_user_message(text_lower: str) -> str:
    if "lock subscriber" in text_lower or "already in process" in text_lower:
        return "The customer already has an M-PESA prompt open. Wait a minute, then try again."
    if "merchant does not exist" in text_lower or "wrong credentials" in text_lower:
        return "M-PESA does not accept this shop's paybill or till settings. Ask the owner."
    if STILL_PROCESSING in text_lower:
        return "M-PESA is still processing this payment."
    return RejectedByMpesa.default_user_message


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)
