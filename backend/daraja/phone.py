"""Turn what a cashier types into the 12-digit MSISDN Daraja accepts (`2547…` or `2541…`).

Daraja rejects `07…` and `+254…` with "Invalid PhoneNumber" and newer `01…` numbers broke many
validators that assumed `07` (REFERENCE.md §11.8), so every phone number goes through here.
"""

from __future__ import annotations

import re

from backend.daraja.errors import InvalidPhoneNumber

# Separators a person might type between digit groups.
_SEPARATORS = re.compile(r"[\s\-.()]")
# The nine significant digits: Safaricom/Airtel mobile ranges start with 7 or 1.
_SUBSCRIBER = re.compile(r"[71][0-9]{8}")


def normalise_msisdn(phone: str | int) -> str:
    """Return `phone` as `2547XXXXXXXX` / `2541XXXXXXXX`, or raise InvalidPhoneNumber.

    Accepts `0712 345 678`, `0110-123-456`, `+254 712 345 678`, `254712345678`, `712345678`.
    """
    if isinstance(phone, bool) or not isinstance(phone, str | int):
        raise InvalidPhoneNumber(f"phone number must be text, got {type(phone).__name__}")
    text = _SEPARATORS.sub("", str(phone))
    if text.startswith("+254"):
        rest = text[4:]
    elif text.startswith("254") and len(text) == 12:
        rest = text[3:]
    elif text.startswith("0") and len(text) == 10:
        rest = text[1:]
    else:
        rest = text
    if not _SUBSCRIBER.fullmatch(rest):
        raise InvalidPhoneNumber(f"not a Kenyan M-PESA number: {phone!r}", field="phone")
    return "254" + rest
