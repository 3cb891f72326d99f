"""Field checks shared by the API families, each failing as `Bad Request - Invalid <Field>`.

Daraja accepts numbers or digit strings for shortcodes, phones and amounts (its own samples use
both, §3.1), rejects decimals in amounts and any whitespace in URLs (§11 item 9).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from daraja_sim.customers import is_msisdn
from daraja_sim.errors import BadRequest

_WHOLE = re.compile(r"\d+(\.0+)?")


def _digits(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.isdigit() and value.isascii():
        return value
    return None


def shortcode(body: dict[str, Any], key: str, code: str = "400.002.02") -> str:
    """Return a 5-7 digit shortcode given as number or string."""
    value = _digits(body.get(key))
    if value is None or not 5 <= len(value) <= 7:
        raise BadRequest(key, code)
    return value


def msisdn(body: dict[str, Any], key: str, code: str = "400.002.02") -> str:
    """Return a `2547…`/`2541…` 12-digit number given as number or string."""
    value = _digits(body.get(key))
    if value is None or not is_msisdn(value):
        raise BadRequest(key, code)
    return value


def amount(body: dict[str, Any], key: str = "Amount", code: str = "400.002.02") -> int:
    """Return a whole, positive number of shillings (`1`, `"1"`, `1.0` pass; `1.5` fails)."""
    value = body.get(key)
    whole: int | None = None
    if isinstance(value, bool):
        whole = None
    elif isinstance(value, int):
        whole = value
    elif isinstance(value, float) and value.is_integer():
        whole = int(value)
    elif isinstance(value, str) and _WHOLE.fullmatch(value):
        whole = int(float(value))
    if whole is None or whole < 1:
        raise BadRequest(key, code)
    return whole


def text(
    body: dict[str, Any],
    key: str,
    max_len: int,
    *,
    required: bool = True,
    min_len: int = 1,
    code: str = "400.002.02",
) -> str:
    """Return a string field within its length limits."""
    value = body.get(key)
    if value is None and not required:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise BadRequest(key, code)
    value = str(value)
    if len(value) > max_len or (required and len(value) < min_len):
        raise BadRequest(key, code)
    return value


def url(body: dict[str, Any], key: str, code: str = "400.002.02") -> str:
    """Return an absolute http(s) URL without stray whitespace."""
    value = body.get(key)
    if not isinstance(value, str) or not value or any(ch.isspace() for ch in value):
        raise BadRequest(key, code)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadRequest(key, code)
    return value


def choice(
    body: dict[str, Any], key: str, options: tuple[str, ...], code: str = "400.002.02"
) -> str:
    """Return a case-sensitive enum value."""
    value = body.get(key)
    if value not in options:
        raise BadRequest(key, code)
    return str(value)


def timestamp(body: dict[str, Any], key: str = "Timestamp") -> str:
    """Return a valid 14-digit `YYYYMMDDHHmmss` timestamp."""
    value = body.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or len(value) != 14 or not value.isdigit():
        raise BadRequest(key)
    try:
        datetime.strptime(value, "%Y%m%d%H%M%S")
    except ValueError:
        raise BadRequest(key) from None
    return value


def identifier_type(body: dict[str, Any], key: str, code: str = "400.002.02") -> str:
    """Return an identifier type (`"4"` shortcode, `"11"`, `"2"` till, `"1"` MSISDN).

    Reversal and B2B require Safaricom's misspelt `RecieverIdentifierType` (§7.6, §12): a request
    spelling it correctly is missing the field Daraja looks for.
    """
    value = _digits(body.get(key))
    if value not in ("1", "2", "4", "11"):
        raise BadRequest(key, code)
    return value
