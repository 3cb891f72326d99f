"""Read a KE-QR / EMVCo merchant-presented payload back into typed fields, checking everything.

`parse` checks what any EMVCo payload must satisfy (CRC, TLV structure, 00 first, 63 last, no
repeated tag) and returns the raw tree. `decode` also checks the KE-QR rules of `layout.py` and
returns a `QrPayload`.

The CRC is checked first when the payload ends in a CRC object (`6304` + 4 characters): a damaged
scan is then reported as a bad CRC, which is the actionable truth, rather than as whichever length
the damage happened to break. Structure is checked next, then mandatory tags, then values.

Till or paybill? (unknown in the reference; see `layout.py`): the 83/01 code when present, else a
62/01 account means paybill, a 12-digit `2547…`/`2541…` number in 28/01 means a phone (send
money) and any other 28/01 number means a till.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from keqr import layout as L
from keqr.crc import crc16
from keqr.errors import BadCrc, InvalidValue, MisplacedTag, MissingTag
from keqr.tlv import Tlv
from keqr.tlv import parse as parse_objects

_AMOUNT = re.compile(r"\d+(?:\.\d*)?|\.\d+")
_MSISDN = re.compile(L.MSISDN_PATTERN)


@dataclass(frozen=True, slots=True)
class QrPayload:
    """A decoded, validated KE-QR payload; `tree` keeps every object as it was read."""

    payload: str
    initiation: L.Initiation
    kind: L.Kind
    number: str | None  # till / paybill / phone from 28/01
    account: str | None  # paybill account from 62/01
    amount: Decimal | None
    currency: str
    country: str
    name: str
    city: str | None
    mcc: str | None
    postal_code: str | None
    merchant_accounts: tuple[Tlv, ...]  # every object with ID 02–51, in order
    tree: tuple[Tlv, ...]

    def value(self, path: str) -> str | None:
        """Return the value at `"59"` or `"62/01"` (template/sub-ID), or None when absent."""
        return _find(self.tree, path)

    @property
    def is_dynamic(self) -> bool:
        """True for a code made for one sale (tag 01 = 12)."""
        return self.initiation is L.Initiation.DYNAMIC


def parse(payload: str | bytes) -> tuple[Tlv, ...]:
    """Check CRC and EMVCo structure and return the object tree (templates parsed one level).

    Raises `BadCrc`, `TruncatedTemplate`, `LengthOverrun`, `MalformedObject`, `MisplacedTag` or
    `MissingTag` (for 00 or 63) saying exactly what is wrong.
    """
    text = _as_text(payload)
    if len(text) >= 8 and text[-8:-4] == L.CRC_HEADER:
        expected, found = crc16(text[:-4]), text[-4:]
        if found.upper() != expected:
            raise BadCrc(found, expected)
    tree = parse_objects(text, nested=L.is_template)
    tags = [node.tag for node in tree]
    for tag, meaning in ((L.PAYLOAD_FORMAT, "payload format"), (L.CRC, "CRC")):
        if tag not in tags:
            raise MissingTag(tag, meaning)
    if tags[0] != L.PAYLOAD_FORMAT:
        raise MisplacedTag(L.PAYLOAD_FORMAT, f"must come first, but {tags[0]} does")
    if tags[-1] != L.CRC:
        raise MisplacedTag(L.CRC, f"must come last, but {tags[-1]} follows it")
    if len(tree[-1].value) != 4:
        raise InvalidValue(L.CRC, f"must be 4 hex digits, got {tree[-1].value!r}")
    _refuse_repeats(tags, "")
    for node in tree:
        _refuse_repeats([child.tag for child in node.children], f"{node.tag}/")
    return tree


def decode(payload: str | bytes) -> QrPayload:
    """Parse and validate a KE-QR payload; raises a `DecodeError` subclass naming the fault."""
    text = _as_text(payload)
    tree = parse(text)
    top = {node.tag: node for node in tree}
    for tag, meaning in (
        (L.INITIATION, "point of initiation, 11 static or 12 dynamic"),
        (L.CURRENCY, "currency, 404 for shillings"),
        (L.COUNTRY, "country code, KE"),
        (L.MERCHANT_NAME, "merchant name"),
    ):
        if tag not in top:
            raise MissingTag(tag, meaning)
    accounts = tuple(node for node in tree if L.is_merchant_account(node.tag))
    if not accounts:
        raise MissingTag("28", "merchant account: a till or paybill template (any of IDs 02–51)")
    for node in accounts:
        if L.is_template(node.tag) and node.child(L.GUID) is None:
            raise MissingTag(f"{node.tag}/{L.GUID}", "globally unique identifier, e.g. ke.go.qr")
    _check(top[L.PAYLOAD_FORMAT].value == L.FORMAT_VERSION, L.PAYLOAD_FORMAT, "must be 01")
    initiation_code = top[L.INITIATION].value
    _check(initiation_code in set(L.Initiation), L.INITIATION, "must be 11 or 12")
    currency, country = top[L.CURRENCY].value, top[L.COUNTRY].value
    _check(len(currency) == 3 and currency.isdigit(), L.CURRENCY, "must be 3 digits")
    _check(len(country) == 2 and country.isalpha(), L.COUNTRY, "must be 2 letters")
    name = top[L.MERCHANT_NAME].value
    _check(bool(name.strip()), L.MERCHANT_NAME, "is blank")
    mcc = _value(top, L.MCC)
    _check(mcc is None or (len(mcc) == 4 and mcc.isdigit()), L.MCC, "must be 4 digits")
    number, account = _find(tree, "28/01"), _find(tree, "62/01")
    return QrPayload(
        payload=text,
        initiation=L.Initiation(initiation_code),
        kind=_kind(tree, number, account),
        number=number,
        account=account,
        amount=_amount(_value(top, L.AMOUNT)),
        currency=currency,
        country=country,
        name=name,
        city=_value(top, L.MERCHANT_CITY),
        mcc=mcc,
        postal_code=_value(top, L.POSTAL_CODE),
        merchant_accounts=accounts,
        tree=tree,
    )


def _as_text(payload: str | bytes) -> str:
    if isinstance(payload, bytes):
        try:
            payload = payload.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidValue("payload", f"is not UTF-8 text ({exc.reason})") from None
    if not isinstance(payload, str):
        raise InvalidValue("payload", f"must be text, got {type(payload).__name__}")
    text = payload.strip()
    if not text:
        raise MissingTag(L.PAYLOAD_FORMAT, "payload format: the payload is empty")
    return text


def _refuse_repeats(tags: Iterable[str], prefix: str) -> None:
    seen: set[str] = set()
    for tag in tags:
        if tag in seen:
            raise MisplacedTag(f"{prefix}{tag}", "appears more than once")
        seen.add(tag)


def _check(ok: bool, tag: str, reason: str) -> None:
    if not ok:
        raise InvalidValue(tag, reason)


def _value(top: dict[str, Tlv], tag: str) -> str | None:
    node = top.get(tag)
    return None if node is None else node.value


def _find(tree: tuple[Tlv, ...], path: str) -> str | None:
    head, _, rest = path.partition("/")
    node = next((node for node in tree if node.tag == head), None)
    if node is None or not rest:
        return None if node is None else node.value
    child = node.child(rest)
    return None if child is None else child.value


def _amount(text: str | None) -> Decimal | None:
    if text is None:
        return None
    _check(bool(_AMOUNT.fullmatch(text)), L.AMOUNT, f"{text!r} is not an amount like 150.00")
    amount = Decimal(text)
    _check(amount > 0, L.AMOUNT, f"{text!r} must be more than 0")
    return amount


def _kind(tree: tuple[Tlv, ...], number: str | None, account: str | None) -> L.Kind:
    code = _find(tree, f"{L.MPESA_TEMPLATE}/{L.MPESA_KIND}")
    if code:
        return L.Kind(code) if code in set(L.Kind) else L.Kind.OTHER
    if number is None:
        return L.Kind.OTHER
    if account is not None:
        return L.Kind.PAYBILL
    return L.Kind.SEND_MONEY if _MSISDN.fullmatch(number) else L.Kind.TILL
