"""KE-QR (EMVCo merchant-presented mode) payloads for M-PESA tills and paybills.

Pure Python with no UI import, shared by the app, the backend and the simulator:

    >>> payload = till_payload("123456", "Duka la Mama", amount=150)
    >>> decode(payload).number, decode(payload).amount
    ('123456', Decimal('150.00'))

`layout.py` documents which tags are written and every guess about what the reference leaves
unknown.
"""

from __future__ import annotations

from keqr.crc import crc16
from keqr.decode import QrPayload, decode, parse
from keqr.errors import (
    BadCrc,
    DecodeError,
    InvalidField,
    InvalidValue,
    KeqrError,
    LengthOverrun,
    MalformedObject,
    MisplacedTag,
    MissingTag,
    TruncatedTemplate,
)
from keqr.fields import amount_text, merchant_text
from keqr.layout import Initiation, Kind
from keqr.payload import mpesa_payload, paybill_payload, till_payload
from keqr.render import render_png, render_svg
from keqr.sticker import render_sticker_png, render_sticker_svg
from keqr.tlv import Tlv

__all__ = [
    "BadCrc",
    "DecodeError",
    "Initiation",
    "InvalidField",
    "InvalidValue",
    "KeqrError",
    "Kind",
    "LengthOverrun",
    "MalformedObject",
    "MisplacedTag",
    "MissingTag",
    "QrPayload",
    "Tlv",
    "TruncatedTemplate",
    "amount_text",
    "crc16",
    "decode",
    "merchant_text",
    "mpesa_payload",
    "parse",
    "paybill_payload",
    "render_png",
    "render_sticker_png",
    "render_sticker_svg",
    "render_svg",
    "till_payload",
]
