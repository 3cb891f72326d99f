"""Dynamic QR: a PNG the customer scans to pay this till or paybill (REFERENCE.md §9).

TrxCode and CPI come from the credentials (till → `BG` + till number, paybill → `PB` + shortcode),
so a caller cannot point the code at the wrong receiver. Generating a picture moves no money, so
transient failures are retried.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from backend.daraja._rules import STK_AMOUNT, plain_text, whole_shillings
from backend.daraja._session import Session
from backend.daraja.errors import DarajaUnavailable, InvalidRequest

PATH = "/mpesa/qrcode/v1/generate"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True, slots=True)
class DynamicQr:
    """The generated QR code as PNG bytes."""

    png_bytes: bytes
    response_code: str | None = None
    response_description: str | None = None


async def dynamic_qr(
    session: Session, *, amount: int, ref_no: str, merchant_name: str, size: int = 300
) -> DynamicQr:
    """Ask Daraja for a QR code that pays `amount` to this shop."""
    if isinstance(size, bool) or not isinstance(size, int) or not 100 <= size <= 1000:
        raise InvalidRequest("size must be 100 to 1000 pixels", field="size")
    creds = session.credentials
    body = {
        "MerchantName": plain_text(merchant_name, "merchant_name", max_len=100),
        "RefNo": plain_text(ref_no, "ref_no", max_len=12),
        "Amount": whole_shillings(amount, "amount", STK_AMOUNT),
        "TrxCode": "BG" if creds.is_till else "PB",
        "CPI": creds.stk_party_b,
        "Size": str(size),
    }
    answer = await session.call(PATH, body, safe_to_repeat=True)
    # Success is "HTTP 200 with a QRCode": the ResponseCode field is inconsistent (§9).
    encoded = answer.get("QRCode")
    try:
        png = base64.b64decode(str(encoded), validate=True) if encoded else b""
    except (binascii.Error, ValueError):
        png = b""
    if not png.startswith(PNG_SIGNATURE):
        raise DarajaUnavailable("Dynamic QR answer holds no PNG image", raw=answer)
    return DynamicQr(
        png_bytes=png,
        response_code=_opt(answer.get("ResponseCode")),
        response_description=_opt(answer.get("ResponseDescription")),
    )


def _opt(value: object) -> str | None:
    return None if value is None else str(value)
