"""Turn what a caller passes (till, name, amount…) into field values KE-QR can carry, or refuse.

Each rule lives in one function so the encoder and the tests agree on it: `merchant_text` for names
and cities, `shortcode` for till and paybill numbers, `phone_number` for send-money codes,
`account_number` for a paybill account, and `amount_text` for money.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from keqr.errors import InvalidField
from keqr.layout import ACCOUNT_MAX, AMOUNT_MAX, MSISDN_PATTERN, NUMBER_DIGITS

# Characters NFKD cannot take apart but which have an obvious ASCII form; everything else without an
# ASCII decomposition is dropped.
_ASCII_FORMS = str.maketrans(
    {
        "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O",
        "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th",
        "ı": "i", "ŋ": "ng", "Ŋ": "Ng", "‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"',
        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "…": "...",
    }
)  # fmt: skip
# EMVCo "ans" fields take printable ASCII.
_NOT_PRINTABLE_ASCII = re.compile(r"[^\x20-\x7e]")
_SPACES = re.compile(r"\s+")
_TRAILING_JUNK = " -,;:/&+"
_AMOUNT = re.compile(r"\d+(?:\.\d{1,2})?")
_CENT = Decimal("0.01")


def merchant_text(text: str, limit: int, *, field: str = "name") -> str:
    """Make a name or city printable ASCII of at most `limit` characters, keeping it readable.

    Transliterates (NFKD, accents dropped: "Ñjeri Café" → "Njeri Cafe"), maps dashes and curly
    quotes to ASCII, drops letters that have no ASCII form, turns other symbols (emoji, tabs)
    into spaces, collapses whitespace, then trims at the last word boundary that keeps at least
    half the limit (else at the limit). The result is pure ASCII,
    so no character is ever cut in half. Raises `InvalidField` when nothing printable remains.
    """
    if not isinstance(text, str):
        raise InvalidField(field, f"must be text, got {type(text).__name__}")
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII_FORMS))
    ascii_text = "".join(_ascii_or_gap(ch) for ch in decomposed)
    ascii_text = _SPACES.sub(" ", ascii_text).strip()
    if not any(ch.isalnum() for ch in ascii_text):
        raise InvalidField(
            field,
            f"{text!r} has no letters or digits that a QR code can carry; "
            "write it in Latin letters (e.g. 'Duka la Mama')",
        )
    if len(ascii_text) <= limit:
        return ascii_text
    cut = ascii_text[: limit + 1].rfind(" ")
    trimmed = ascii_text[:cut] if cut >= limit // 2 else ascii_text[:limit]
    return trimmed.rstrip(_TRAILING_JUNK) or ascii_text[:limit]


def _ascii_or_gap(ch: str) -> str:
    """Keep printable ASCII, drop letters and accents with no ASCII form, make other marks a gap."""
    if " " <= ch <= "~":
        return ch
    return "" if unicodedata.category(ch)[0] in "LM" else " "


def shortcode(number: str | int, *, field: str = "till") -> str:
    """Return a till or paybill number as its digits; refuses anything but 5–7 ASCII digits."""
    if isinstance(number, bool) or not isinstance(number, (str, int)):
        raise InvalidField(field, f"must be digits, got {type(number).__name__}")
    digits = str(number).strip()
    if not (digits.isascii() and digits.isdigit()):
        raise InvalidField(field, f"must be digits only, got {digits!r}")
    if len(digits) not in NUMBER_DIGITS:
        raise InvalidField(
            field,
            f"must be {NUMBER_DIGITS.start}–{NUMBER_DIGITS.stop - 1} digits, "
            f"got {len(digits)} ({digits!r})",
        )
    return digits


def phone_number(number: str | int) -> str:
    """Return a phone number as the 12 digits `2547…`/`2541…` that a send-money QR carries.

    Accepts the forms a person types: `0712 345 678`, `+254712345678`, `254712345678`.
    """
    if isinstance(number, bool) or not isinstance(number, (str, int)):
        raise InvalidField("phone", f"must be digits, got {type(number).__name__}")
    digits = re.sub(r"[\s-]", "", str(number)).removeprefix("+")
    if re.fullmatch(r"0[17]\d{8}", digits):
        digits = "254" + digits[1:]
    if not re.fullmatch(MSISDN_PATTERN, digits):
        raise InvalidField(
            "phone", f"{number!r} is not a Kenyan mobile number like 0712345678 or 254712345678"
        )
    return digits


def account_number(account: str | int) -> str:
    """Return a paybill account number unchanged, or refuse it: it must reach M-PESA exactly.

    Unlike names it is never transliterated or trimmed: 1–20 printable ASCII characters, no
    leading or trailing spaces (Daraja's C2B `BillRefNumber` takes up to 20).
    """
    if isinstance(account, bool) or not isinstance(account, (str, int)):
        raise InvalidField("account", f"must be text or digits, got {type(account).__name__}")
    text = str(account).strip()
    if not text:
        raise InvalidField("account", "is empty; a paybill needs the customer's account number")
    if _NOT_PRINTABLE_ASCII.search(text):
        raise InvalidField(
            "account", f"{text!r} has characters other than printable ASCII letters, digits, signs"
        )
    if len(text) > ACCOUNT_MAX:
        raise InvalidField(
            "account", f"is {len(text)} characters ({text!r}); M-PESA takes at most {ACCOUNT_MAX}"
        )
    return text


def amount_text(amount: int | Decimal | str | float) -> str:
    """Return an amount as EMVCo tag 54 text with two decimals (`150` → `"150.00"`).

    Takes whole shillings as `int`, or `Decimal`/`str` with at most two decimals. A `float` is
    taken only when its binary value is exactly that (150.5 yes; 19.99 is really
    19.989999… and is refused: pass `Decimal("19.99")` or `"19.99"`).
    """
    value = _as_decimal(amount)
    if not value.is_finite() or value <= 0:
        raise InvalidField("amount", f"must be a number of shillings more than 0, got {amount!r}")
    try:
        cents = value.quantize(_CENT)
    except InvalidOperation:
        raise InvalidField("amount", f"{amount!r} is too large") from None
    if cents != value:
        raise InvalidField("amount", f"{amount!r} has more than 2 decimals")
    text = f"{cents:f}"
    if len(text) > AMOUNT_MAX:
        raise InvalidField(
            "amount", f"{text} is {len(text)} characters; EMVCo allows at most {AMOUNT_MAX}"
        )
    return text


def _as_decimal(amount: object) -> Decimal:
    if isinstance(amount, bool):
        raise InvalidField("amount", "must be a number of shillings, got a bool")
    if isinstance(amount, int | Decimal):
        return Decimal(amount)
    if isinstance(amount, float):
        if not math.isfinite(amount):
            raise InvalidField("amount", f"must be a finite number of shillings, got {amount!r}")
        exact = Decimal(amount)
        if exact != Decimal(repr(amount)):
            raise InvalidField(
                "amount",
                f"the float {amount!r} is really {exact}; pass Decimal({str(amount)!r}) or "
                f"the string {str(amount)!r}",
            )
        return exact
    if isinstance(amount, str):
        text = amount.strip()
        if not _AMOUNT.fullmatch(text):
            raise InvalidField(
                "amount", f"{amount!r} is not an amount like 150 or 150.50 (digits, optional cents)"
            )
        return Decimal(text)
    raise InvalidField("amount", f"must be int, Decimal or str, got {type(amount).__name__}")
