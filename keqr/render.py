"""Draw a payload as a QR code: PNG for a phone screen, SVG for screens and an A6 printed sticker.

The PNG path uses only `qrcode` + `pypng` (qrcode's `PyPNGImage`), because Pillow is not bundled in
the mobile app. SVG is written by hand from the module matrix: crisp at any size and printable, and
text in SVG needs no font rasteriser. Error correction is M (15 %), qrcode's default, which keeps a
~120-character payload at version 5–6 so modules stay large on a small screen.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

import qrcode
import qrcode.constants
from qrcode.image.pure import PyPNGImage

from keqr.decode import decode
from keqr.layout import Kind

QUIET_ZONE = 4  # modules of white around the code, the minimum the QR standard asks for
PHONE_MODULE_PX = (
    10  # ≈ 450–530 px for our payloads: fills a phone screen's width, scans at arm's length
)

# A6 portrait, millimetres.
_A6_WIDTH, _A6_HEIGHT = 105, 148
_STICKER_QR_MM = 78
_FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"
_NUMBER_LABELS = {Kind.TILL: "TILL NUMBER", Kind.PAYBILL: "PAYBILL", Kind.BUSINESS: "BUSINESS NO."}


def render_png(
    payload: str, *, module_px: int = PHONE_MODULE_PX, border: int = QUIET_ZONE
) -> bytes:
    """Return a black-on-white PNG of `payload`, `module_px` pixels per module; needs no Pillow."""
    code = _code(payload, border=border, box_size=module_px)
    image = code.make_image(image_factory=PyPNGImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def render_svg(payload: str, *, size: str | None = None, border: int = QUIET_ZONE) -> str:
    """Return an SVG of `payload` whose viewBox is one unit per module; `size` is e.g. "60mm".

    Without `size` the SVG scales to its container (a web page or Flet `Image`).
    """
    matrix = _code(payload, border=border).get_matrix()
    width = len(matrix)
    dims = f' width="{size}" height="{size}"' if size else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {width}"{dims} '
        f'shape-rendering="crispEdges">'
        f'<rect width="{width}" height="{width}" fill="#fff"/>{_modules_path(matrix)}</svg>'
    )


def render_sticker_svg(payload: str, *, heading: str = "Scan to pay with M-PESA") -> str:
    """Return an A6 (105 x 148 mm) sticker to print: heading, shop name, code, number in big digits.

    The name, till/paybill number, account and amount are read from the payload itself, so the
    sticker cannot disagree with its code. Raises a `DecodeError` for a payload that is not KE-QR.
    """
    info = decode(payload)
    matrix = _code(payload, border=QUIET_ZONE).get_matrix()
    modules = len(matrix)
    qr_x = (_A6_WIDTH - _STICKER_QR_MM) / 2
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_A6_WIDTH}mm" height="{_A6_HEIGHT}mm" '
        f'viewBox="0 0 {_A6_WIDTH} {_A6_HEIGHT}" font-family="{_FONT}" text-anchor="middle">',
        f'<rect width="{_A6_WIDTH}" height="{_A6_HEIGHT}" fill="#fff"/>',
        f'<rect x="3" y="3" width="{_A6_WIDTH - 6}" height="{_A6_HEIGHT - 6}" rx="4" fill="none" '
        'stroke="#1b8a3a" stroke-width="1.2"/>',
        _text(13, 6, heading, weight="bold", fill="#1b8a3a"),
        _text(23, _fitting_size(info.name, 7.5), info.name, weight="bold"),
        f'<svg x="{qr_x}" y="27" width="{_STICKER_QR_MM}" height="{_STICKER_QR_MM}" '
        f'viewBox="0 0 {modules} {modules}" shape-rendering="crispEdges">'
        f"{_modules_path(matrix)}</svg>",
    ]
    y = 27 + _STICKER_QR_MM + 6
    if info.number is not None:
        lines.append(_text(y, 4.5, _NUMBER_LABELS.get(info.kind, "NUMBER")))
        lines.append(_text(y + 15, 16, info.number, weight="bold", spacing=1.5))
        y += 22
    if info.account is not None:
        lines.append(_text(y, 5.5, f"Account: {info.account}"))
        y += 7
    if info.amount is not None:
        lines.append(_text(y, 6.5, f"KSh {info.amount:,.2f}", weight="bold"))
    lines.append("</svg>")
    return "\n".join(lines)


def _code(payload: str, *, border: int, box_size: int = 1) -> qrcode.QRCode:  # type: ignore[type-arg]
    if not isinstance(payload, str) or not payload:
        raise TypeError("payload must be a non-empty string")
    if box_size < 1 or border < 0:
        raise ValueError("module_px must be ≥ 1 and border ≥ 0")
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=border
    )
    code.add_data(payload)
    code.make(fit=True)
    return code


def _modules_path(matrix: list[list[bool]]) -> str:
    """One `<path>` drawing each horizontal run of dark modules as a rectangle."""
    parts: list[str] = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            parts.append(f"M{start} {y}h{x - start}v1h{start - x}z")
    return f'<path id="qr-modules" fill="#000" d="{"".join(parts)}"/>'


def _fitting_size(text: str, largest: float) -> float:
    """Shrink the font so `text` fits the sticker's width (a sans glyph is ≈ 0.62 em wide)."""
    return round(min(largest, (_A6_WIDTH - 12) / (0.62 * max(len(text), 1))), 2)


def _text(y: float, size: float, text: str, *, weight: str = "normal", fill: str = "#000",
          spacing: float = 0) -> str:  # fmt: skip
    letter_spacing = f' letter-spacing="{spacing}"' if spacing else ""
    return (
        f'<text x="{_A6_WIDTH / 2}" y="{y}" font-size="{size}" font-weight="{weight}" '
        f'fill="{fill}"{letter_spacing}>{escape(text)}</text>'
    )
