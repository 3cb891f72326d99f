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
    """Hide the middle digits so a screen over the counter does not leak numbers: ``0712 *** 678``.

    Accepts what M-PESA itself sends too (``2547******678`` or already-masked forms).
    """
    digits = msisdn.strip().lstrip("+")
    if digits.startswith("254") and len(digits) == 12:
        digits = "0" + digits[3:]
    if len(digits) == 10:
        return f"{digits[:4]} *** {digits[-3:]}"
    if len(digits) >= 6:
        return f"{digits[:3]}***{digits[-3:]}"
    return "***"
