"""Errors the backend answers with, grouped by what the caller should do.

    BackendError              base: `status`, `code`, and a `message` a cashier can act on
    ├── BadInput              400/422: fix what was typed and try again
    ├── NotAuthenticated      401: sign in (again)
    │   └── LockedOut         429: too many wrong PINs/passwords; wait, then sign in
    ├── Forbidden             403: this needs the owner
    ├── NotFound              404: no such thing (or not yours to see)
    ├── Conflict              409: the request clashes with one already made
    ├── PayloadTooLarge       413: the body is far bigger than any real request
    └── Unavailable           503: a dependency (database, Daraja) is down; try again shortly

Every one of them is rendered as `{"code": ..., "detail": ...}` (plus `field`/`fields` when an
input is to blame) by `api/errors.py`; nothing else
(no SQLAlchemy or httpx exception) ever reaches a client.
"""

from __future__ import annotations


class BackendError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field  # the input to fix, when one is to blame
        if code:
            self.code = code


class BadInput(BackendError):
    status = 422
    code = "invalid_input"


class NotAuthenticated(BackendError):
    status = 401
    code = "not_authenticated"


class LockedOut(NotAuthenticated):
    status = 429
    code = "locked_out"


class Forbidden(BackendError):
    status = 403
    code = "forbidden"


class NotFound(BackendError):
    status = 404
    code = "not_found"


class Conflict(BackendError):
    status = 409
    code = "conflict"


class PayloadTooLarge(BackendError):
    status = 413
    code = "payload_too_large"


class Unavailable(BackendError):
    status = 503
    code = "unavailable"
