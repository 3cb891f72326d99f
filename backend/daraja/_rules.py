"""Daraja's field rules, checked before a request leaves the machine (REFERENCE.md §3.1, §6.1, §7).

Each check raises InvalidRequest naming the field, with a message a cashier can act on, instead of
letting Daraja answer "Bad Request - Invalid <Field>" (or worse, accept and fail later).
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from backend.daraja.errors import InvalidRequest

# STK: KES 1–250,000 per transaction; B2C: KES 10–250,000 (REFERENCE.md §10.5).
STK_AMOUNT = (1, 250_000)
B2C_AMOUNT = (10, 250_000)
# B2B and reversals have no published cap; this only stops obvious typos (one billion shillings).
BUSINESS_AMOUNT = (1, 999_999_999)

# Words Daraja refuses in C2B URLs (REFERENCE.md §6.1), in any case.
_FORBIDDEN_URL_WORDS = ("m-pesa", "mpesa", "safaricom", "exe", "exec", "cmd", "sql", "query")
_RECEIPT = re.compile(r"[A-Z0-9]{10}")


def whole_shillings(value: object, field: str, bounds: tuple[int, int]) -> int:
    """Return `value` as whole shillings within `bounds`, or raise InvalidRequest."""
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidRequest(
            f"{field} must be whole shillings (an int), got {value!r}",
            field=field,
            user_message="Enter the amount in whole shillings, without cents.",
        )
    if not low <= value <= high:
        raise InvalidRequest(
            f"{field} must be between {low} and {high} shillings, got {value}",
            field=field,
            user_message=f"The amount must be between KSh {low:,} and KSh {high:,}.",
        )
    return value


def plain_text(
    value: object, field: str, *, max_len: int, min_len: int = 1, required: bool = True
) -> str:
    """Return stripped printable-ASCII text of allowed length, or raise InvalidRequest."""
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise InvalidRequest(f"{field} must be text", field=field)
    text = value.strip()
    if not text and not required:
        return ""
    # Printable ASCII only (space to "~"): the prompt and statements are not Unicode-safe, and
    # control characters (hidden whitespace) are a classic cause of "Invalid" answers
    # (REFERENCE.md §11.9). Two str methods say this about four times faster than a regex.
    if not (text.isascii() and text.isprintable()):
        raise InvalidRequest(
            f"{field} may only use plain letters, digits and punctuation",
            field=field,
            user_message=f"The {_label(field)} may only use plain letters, digits and punctuation.",
        )
    if not min_len <= len(text) <= max_len:
        raise InvalidRequest(
            f"{field} must be {min_len} to {max_len} characters, got {len(text)}",
            field=field,
            user_message=f"The {_label(field)} must be {min_len} to {max_len} characters long.",
        )
    return text


def callback_url(value: object, field: str, *, https_only: bool, c2b: bool = False) -> str:
    """Return a usable callback URL, or raise InvalidRequest (whitespace, scheme, bad words)."""
    if not isinstance(value, str) or not value:
        raise InvalidRequest(f"{field} is required", field=field)
    return _checked_url(value, field, https_only, c2b)


@lru_cache(maxsize=64)  # a shop uses a handful of callback URLs; only valid ones are cached
def _checked_url(value: str, field: str, https_only: bool, c2b: bool) -> str:
    if value != value.strip() or any(ch.isspace() for ch in value):
        raise InvalidRequest(f"{field} contains whitespace", field=field)
    allowed = ("https",) if https_only else ("http", "https")
    try:
        parts = urlsplit(value)
        valid = parts.scheme in allowed and bool(parts.hostname) and parts.port != 0
    except ValueError:  # e.g. an unclosed IPv6 bracket or a non-numeric port
        valid = False
    if not valid:
        raise InvalidRequest(f"{field} must be an absolute {' or '.join(allowed)} URL", field=field)
    if c2b:
        lowered = value.lower()
        for word in _FORBIDDEN_URL_WORDS:
            if word in lowered:
                raise InvalidRequest(f"{field} must not contain the word {word!r}", field=field)
    return value


def receipt_number(value: object, field: str = "receipt") -> str:
    """Return an M-PESA receipt (10 uppercase letters/digits), or raise InvalidRequest."""
    if not isinstance(value, str) or not _RECEIPT.fullmatch(value.strip().upper()):
        raise InvalidRequest(
            f"{field} must be a 10-character M-PESA receipt, got {value!r}",
            field=field,
            user_message="Enter the M-PESA code from the message, like SGR7ABC123.",
        )
    return value.strip().upper()


def _label(field: str) -> str:
    return field.replace("_", " ")
