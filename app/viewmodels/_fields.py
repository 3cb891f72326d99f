"""Read a payment's fields whether it arrived as a typed model or as an event's JSON dict.

The backend client hands the app `PaymentPublic` models, but an event whose payment it could not
type (a newer backend) still carries the dict; view-models read both the same way.
"""

from __future__ import annotations

from typing import Any

__all__ = ["channel_of", "field", "status_of"]


def field(payment: Any, *names: str, default: Any = None) -> Any:
    """Read the first present attribute (or key): payments come from models or event dicts."""
    for name in names:
        if isinstance(payment, dict):
            if payment.get(name) is not None:
                return payment[name]
        elif getattr(payment, name, None) is not None:
            return getattr(payment, name)
    return default


def status_of(payment: Any) -> str:
    status = field(payment, "status", default="")
    return str(getattr(status, "value", status))


def channel_of(payment: Any) -> str:
    channel = field(payment, "channel", default="")
    return str(getattr(channel, "value", channel))
