"""Dynamic QR: a base64 PNG of a KE-QR payload for a till or paybill (§9, /work/shared/qr/KE-QR.md).

Uses the project's `keqr` package (`mpesa_payload`, `Kind.from_trx_code`, `render_png`).
FALLBACK (only if `keqr` is missing or lacks those names): a minimal EMVCo builder here,
with the till/paybill in template 28/01 under the `ke.go.qr` GUID and a CRC-16/CCITT-FALSE
trailer.
"""

from __future__ import annotations

import base64
import binascii
import importlib
import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import qrcode
from qrcode.image.pure import PyPNGImage

from daraja_sim import fields
from daraja_sim.errors import BadRequest
from daraja_sim.web import Request, Response, json_response

if TYPE_CHECKING:
    from daraja_sim.simulator import Simulator

TRX_CODES = ("BG", "WA", "PB", "SM", "SB")


def _tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def fallback_payload(cpi: str, name: str, amount: int | None, account: str = "") -> str:
    """FALLBACK: build a KE-QR payload without `keqr` (see module docstring)."""
    parts = [
        _tlv("00", "01"),
        _tlv("01", "12" if amount is not None else "11"),
        _tlv("28", _tlv("00", "ke.go.qr") + _tlv("01", cpi)),
        _tlv("52", "0000"),
        _tlv("53", "404"),
    ]
    if amount is not None:
        parts.append(_tlv("54", f"{amount}.00"))
    parts += [_tlv("58", "KE"), _tlv("59", name[:25]), _tlv("60", "NAIROBI")]
    if account:
        parts.append(_tlv("62", _tlv("01", account[:25])))
    body = "".join(parts) + "6304"
    return body + f"{binascii.crc_hqx(body.encode('utf-8'), 0xFFFF):04X}"


def _fallback_png(payload: str) -> bytes:
    buffer = io.BytesIO()
    qrcode.make(payload, image_factory=PyPNGImage).save(buffer)
    return buffer.getvalue()


def _keqr(name: str) -> Callable[..., Any] | None:
    try:
        keqr = importlib.import_module("keqr")
    except ImportError:  # keqr is part of this repo; only a broken checkout lacks it
        return None
    return getattr(keqr, name, None)


# keqr's argument names → the Dynamic QR field to blame when keqr refuses a value.
_FIELD_FOR_ARGUMENT = {"name": "MerchantName", "amount": "Amount", "account": "RefNo"}


def build_payload(trx_code: str, cpi: str, name: str, amount: int, ref: str) -> str:
    """Return the KE-QR payload string for one Dynamic QR request."""
    mpesa_payload = _keqr("mpesa_payload")
    kind_type = _keqr("Kind")
    if mpesa_payload is not None and kind_type is not None:
        kind = kind_type.from_trx_code(trx_code)  # type: ignore[attr-defined]
        account = ref if trx_code == "PB" else None
        return str(mpesa_payload(kind, cpi, name, amount, account=account))
    return fallback_payload(cpi, name, amount, ref if trx_code == "PB" else "")


def render_png(payload: str) -> bytes:
    """Render `payload` as PNG bytes (keqr's renderer when present)."""
    render = _keqr("render_png")
    return bytes(render(payload)) if render is not None else _fallback_png(payload)


async def generate(sim: Simulator, request: Request) -> Response:
    """POST /mpesa/qrcode/v1/generate."""
    sim.tokens.require(request)
    body = request.json_object(BadRequest("MerchantName"))
    name = fields.text(body, "MerchantName", 25)
    ref = fields.text(body, "RefNo", 25, required=False, min_len=0)
    amount = fields.amount(body)
    trx_code = fields.choice(body, "TrxCode", TRX_CODES)
    cpi = fields.text(body, "CPI", 12)
    if not cpi.isdigit():
        raise BadRequest("CPI")
    size = body.get("Size")
    if size is not None and fields.amount(body, "Size") > 2000:
        raise BadRequest("Size")
    try:
        payload = build_payload(trx_code, cpi, name, amount, ref)
        png = render_png(payload)
    except ValueError as exc:
        argument = str(getattr(exc, "field", ""))
        raise BadRequest(_FIELD_FOR_ARGUMENT.get(argument, "CPI")) from None
    return json_response(
        {
            "ResponseCode": "00",
            "RequestID": sim.ids.request_id(),
            "ResponseDescription": "QR Code Successfully Generated.",
            "QRCode": base64.b64encode(png).decode(),
        }
    )
