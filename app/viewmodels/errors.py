"""How view-models turn a failure into words on screen.

    Exception
    └── backend_client.DukaError   NetworkError / AuthExpired / RateLimited / Forbidden /
                                   ServerError become catalogue keys (so Kiswahili users read
                                   Kiswahili); the rest (InvalidInput, NotFound) keep the
                                   backend's specific `user_message`
    anything else                  a bug: shown as the generic "Something went wrong" with its type,
                                   never a traceback and never a secret

Views pass every message through the translator: a catalogue key is translated, a sentence from
the backend is shown as it is (unknown keys come back unchanged).

View-models never let an exception escape into Flet's event loop (where it would vanish into a
log): they catch at the command boundary and keep the message in observable state.
"""

from __future__ import annotations

import logging

from backend_client.errors import (
    AuthExpired,
    DukaError,
    Forbidden,
    NetworkError,
    RateLimited,
    ServerError,
)

__all__ = ["describe", "is_auth_expired", "is_offline"]

log = logging.getLogger("app")


_KEYS: tuple[tuple[type[DukaError], str], ...] = (
    (NetworkError, "error.offline"),
    (AuthExpired, "reason.session"),
    (RateLimited, "error.rate_limited"),
    (Forbidden, "error.forbidden"),
    (ServerError, "error.server"),
)


def describe(exc: BaseException) -> str:
    """Return a catalogue key or a sentence a cashier can act on for `exc`."""
    for kind, key in _KEYS:
        if isinstance(exc, kind):
            return key
    if isinstance(exc, DukaError):
        return exc.user_message
    log.exception("unexpected error in a view-model command", exc_info=exc)
    return f"Something went wrong ({type(exc).__name__}). Try again."


def is_auth_expired(exc: BaseException) -> bool:
    """True when the session is gone and the app must show sign-in."""
    return isinstance(exc, AuthExpired)


def is_offline(exc: BaseException) -> bool:
    """True when the backend could not be reached at all."""
    return isinstance(exc, NetworkError)
