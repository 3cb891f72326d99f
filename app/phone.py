"""Read a customer's phone number in any common Kenyan form, and mask it for display.

Cashiers type what the customer says: ``0712 345 678``, ``712345678``, ``+254-712-345-678`` or
``254712345678``. M-PESA wants ``2547XXXXXXXX`` / ``2541XXXXXXXX`` (12 digits, no plus).
"""

from __future__ import annotations

import re

__all__ = ["PhoneProblem", "mask_msisdn", "parse_msisdn"]

_SEPARATORS = re.compile(r"[\s\-().]")
# Safaricom mobile numbers: 07xx and 01xx ranges.
_MOBILE = re.compile(r"^254[17]\d{8}$")


class PhoneProblem:
    """Why a typed phone number cannot be charged yet (a catalogue key)."""

    EMPTY = "phone.empty"
    NOT_DIGITS = "phone.not_digits"
    TOO_SHORT = "phone.too_short"
    TOO_LONG = "phone.too_long"
    NOT_MOBILE = "phone.not_mobile"


def parse_msisdn(text: str) -> tuple[str | None, str | None]:
    """Return ``(msisdn, None)`` for a chargeable number, else ``(None, problem_key)``."""
    raw = _SEPARATORS.sub("", text or "")
    if not raw:
        return None, PhoneProblem.EMPTY
    if raw.startswith("+"):
        raw = raw[1:]
    if not raw.isdigit():
        return None, PhoneProblem.NOT_DIGITS
    if raw.startswith("254"):
        national = raw[3:]
    elif raw.startswith("0"):
        national = raw[1:]
    else:
        national = raw
    if len(national) < 9:
        return None, PhoneProblem.TOO_SHORT
    if len(national) > 9:
        return None, PhoneProblem.TOO_LONG
    msisdn = "254" + national
    if not _MOBILE.match(msisdn):
        return None, PhoneProblem.NOT_MOBILE
    return msisdn, None


def mask_msisdn(msisdn: str) -> str:
    """Hide all but the network's first digits and the last three: ``07** *** 678``.

    One shape everywhere: the backend only ever sends numbers it masked (``2547••••678``), so a
    full number the app knows (the sale on screen) is masked to the same ``07** *** 678`` that
    the feed and transactions show for that sale; a screen over the counter leaks no more.
    """
    text = msisdn.strip().lstrip("+")
    if text.isdigit():
        local = "0" + text[3:] if text.startswith("254") and len(text) == 12 else text
        if len(local) == 10:
            return f"{local[:2]}** *** {local[-3:]}"
    lead = text[: len(text) - len(text.lstrip("0123456789"))]
    tail = text[len(text.rstrip("0123456789")) :][-3:]
    if lead.startswith("254"):
        lead = "0" + lead[3:]
    if len(lead) < 2 or len(tail) < 3 or lead == text:
        return "***"
    return f"{lead[:2]}** *** {tail}"
