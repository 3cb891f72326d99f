"""How view-models turn a failure into words on screen.

    Exception
    └── backend_client.DukaError   shown by its `user_message` (already a sentence for the cashier)
    anything else                  a bug: shown as the generic "Something went wrong" with its type,
                                   never a traceback and never a secret

View-models never let an exception escape into Flet's event loop (where it would vanish into a
log): they catch at the command boundary and keep the message in observable state.
"""

from __future__ import annotations

import logging

from backend_client.errors import AuthExpired, DukaError, NetworkError

__all__ = ["describe", "is_auth_expired", "is_offline"]

log = logging.getLogger("app")


def describe(exc: BaseException) -> str:
    """Return a sentence a cashier can act on for `exc`."""
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
