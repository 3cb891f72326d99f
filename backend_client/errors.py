"""Errors the backend client raises, grouped by how the app must react.

Every error carries `user_message`, a sentence fit to show a cashier verbatim, plus the HTTP
status, the backend's error `code` and `request_id` when there was an answer. No httpx exception
ever escapes the client: they are translated at one boundary (`backend_client._http`).

    DukaError                     base; `user_message`, `code`, `http_status`, `request_id`, `body`
    ├── InsecureURL               refused plain http:// to a public host (configuration mistake)
    ├── NetworkError              no answer: offline, DNS, refused, timed out; `should_retry`
    ├── AuthExpired               401: token missing, expired or revoked — sign in again
    ├── Forbidden                 403: signed in, but this role may not do that
    ├── NotFound                  404: no such payment / cashier
    ├── InvalidInput              400/409/422: fix the input; `field_errors` maps field → message
    ├── RateLimited               429: wait `retry_after` seconds, then try again
    └── ServerError               5xx, or an answer the client cannot understand

A payment request that fails with `NetworkError` (or `ServerError`) may or may not have reached
the backend: retry it with the same key — every error from `request_payment` carries it as
`idempotency_key` — and the customer is never prompted twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "AuthExpired",
    "DukaError",
    "Forbidden",
    "InsecureURL",
    "InvalidInput",
    "NetworkError",
    "NotFound",
    "RateLimited",
    "ServerError",
]


class DukaError(Exception):
    """Base of every error the client raises; `user_message` can be shown as is."""

    default_message = "Something went wrong. Please try again."

    def __init__(
        self,
        user_message: str | None = None,
        *,
        code: str | None = None,
        http_status: int | None = None,
        request_id: str | None = None,
        body: Any = None,
    ) -> None:
        self.user_message = user_message or self.default_message
        self.code = code
        self.http_status = http_status
        self.request_id = request_id
        self.body = body
        self.idempotency_key: str | None = None  # set on errors of a money POST: retry with it
        super().__init__(self.user_message)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.user_message!r}, code={self.code!r}, "
            f"http_status={self.http_status!r})"
        )


class InsecureURL(DukaError):
    """The backend URL is plain http:// to a host that is not this machine or a private network."""

    default_message = "The server address must start with https://."


class NetworkError(DukaError):
    """No answer from the backend; `should_retry` is true when retrying is safe and sensible."""

    default_message = "No connection to the server. Check the phone's data and try again."

    def __init__(
        self,
        user_message: str | None = None,
        *,
        should_retry: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(user_message, **kwargs)
        self.should_retry = should_retry


class AuthExpired(DukaError):
    """The session is missing, expired or revoked: show the sign-in screen."""

    default_message = "Your session has ended. Please sign in again."


class Forbidden(DukaError):
    """Signed in, but this role may not do that (a cashier on an owner screen)."""

    default_message = "Only the shop owner can do that."


class NotFound(DukaError):
    """The thing asked for does not exist (or is not visible to this user)."""

    default_message = "That was not found. It may have been removed."


class InvalidInput(DukaError):
    """The request was refused as it stands; `field_errors` maps a field name to its message."""

    default_message = "Please check what you typed."

    def __init__(
        self,
        user_message: str | None = None,
        *,
        field_errors: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(user_message, **kwargs)
        self.field_errors: dict[str, str] = dict(field_errors or {})


class RateLimited(DukaError):
    """Too many attempts (sign-in lockout, or Daraja's per-customer limit); wait and retry."""

    default_message = "Too many attempts. Wait a minute and try again."

    def __init__(
        self, user_message: str | None = None, *, retry_after: float | None = None, **kwargs: Any
    ) -> None:
        super().__init__(user_message, **kwargs)
        self.retry_after = retry_after


class ServerError(DukaError):
    """The backend failed (5xx) or sent an answer this version of the app does not understand."""

    default_message = "The server had a problem. Try again in a moment."
