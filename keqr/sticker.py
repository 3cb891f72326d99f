"""An A6 sticker for the counter: heading, shop name, the code, and the number in big digits.

One layout (`_layout`, in millimetres) drawn two ways: SVG, which needs nothing but text and prints
crisply at any size, and PNG through Pillow, only when Pillow is importable (it is not bundled in
the mobile app; the app shows or shares the SVG). The name, number, account and amount are read
back from the payload itself, so a sticker can never disagree with its own code.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from keqr.decode import QrPayload, decode
from keqr.layout import Kind
from keqr.render import QUIET_ZONE, modules_path, qr_code

if TYPE_CHECKING:
    from PIL import ImageFont

A6_MM = (105, 148)  # portrait width, height
DEFAULT_HEADING = "Scan to pay with M-PESA"
_QR_MM = 78
_QR_TOP_MM = 27
_MARGIN_MM = 6
_GREEN = "#1b8a3a"
_FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"
_GLYPH_EM = 0.62  # average width of a bold sans glyph, in ems, to keep long names inside the card
_NUMBER_LABELS = {
    Kind.TILL: "TILL NUMBER",
    Kind.PAYBILL: "PAYBILL",
    Kind.BUSINESS: "BUSINESS NO.",
    Kind.AGENT: "AGENT TILL",
    Kind.SEND_MONEY: "PHONE",
}


@dataclass(frozen=True, slots=True)
class _Line:
    """One centred line of text; `y` is its baseline, sizes are in millimetres."""

    y: float
    size: float
    text: str
    bold: bool = False
    color: str = "#000"
    spacing: float = 0.0


def render_sticker_svg(payload: str, *, heading: str = DEFAULT_HEADING) -> str:
    """Return the A6 (105 x 148 mm) sticker as SVG; raises `DecodeError` if it is not KE-QR."""
    lines = _layout(decode(payload), heading)
    matrix = qr_code(payload, border=QUIET_ZONE).get_matrix()
    width, height = A6_MM
    modules = len(matrix)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}mm" height="{height}mm" '
        f'viewBox="0 0 {width} {height}" font-family="{_FONT}" text-anchor="middle">',
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
        f'<rect x="3" y="3" width="{width - 6}" height="{height - 6}" rx="4" fill="none" '
        f'stroke="{_GREEN}" stroke-width="1.2"/>',
        f'<svg x="{(width - _QR_MM) / 2}" y="{_QR_TOP_MM}" width="{_QR_MM}" height="{_QR_MM}" '
        f'viewBox="0 0 {modules} {modules}" shape-rendering="crispEdges">'
        f"{modules_path(matrix)}</svg>",
    ]
    for line in lines:
        weight = "bold" if line.bold else "normal"
        spacing = f' letter-spacing="{line.spacing}"' if line.spacing else ""
        parts.append(
            f'<text x="{width / 2}" y="{line.y}" font-size="{line.size}" font-weight="{weight}" '
            f'fill="{line.color}"{spacing}>{escape(line.text)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def render_sticker_png(payload: str, *, heading: str = DEFAULT_HEADING, dpi: int = 300) -> bytes:
    """Return the same sticker as a PNG at `dpi` (1240 x 1748 px at 300 dpi). Needs Pillow.

    Raises `ImportError` saying so when Pillow is missing (as on phones: use the SVG there).
    """
    try:
        from PIL import Image, ImageDraw  # noqa: PLC0415 -- optional: absent from the mobile app
    except ImportError:
        raise ImportError(
            "render_sticker_png needs Pillow (pip install pillow); use render_sticker_svg instead"
        ) from None
    if dpi < 72:
        raise ValueError(f"dpi must be at least 72 to print legibly, got {dpi}")
    lines = _layout(decode(payload), heading)
    px = dpi / 25.4
    width, height = (round(mm * px) for mm in A6_MM)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle(
        (3 * px, 3 * px, width - 3 * px, height - 3 * px),
        radius=4 * px,
        outline=_GREEN,
        width=max(1, round(1.2 * px)),
    )
    matrix = qr_code(payload, border=QUIET_ZONE).get_matrix()
    module = _QR_MM * px / len(matrix)
    left, top = (A6_MM[0] - _QR_MM) / 2 * px, _QR_TOP_MM * px
    for row, cells in enumerate(matrix):
        for col, dark in enumerate(cells):
            if dark:  # whole-pixel edges shared by neighbours: no hairline gaps between modules
                x0, x1 = round(left + col * module), round(left + (col + 1) * module)
                y0, y1 = round(top + row * module), round(top + (row + 1) * module)
                draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill="black")
    for line in lines:
        font = _font(line.size * px, bold=line.bold)
        draw.text((width / 2, line.y * px), line.text, fill=line.color, font=font, anchor="ms")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(dpi, dpi))
    return buffer.getvalue()


def _layout(info: QrPayload, heading: str) -> list[_Line]:
    """Place the text lines; the code itself sits at `_QR_TOP_MM`, `_QR_MM` square."""
    lines = [
        _Line(13, _fitting(heading, 6), heading, bold=True, color=_GREEN),
        _Line(23, _fitting(info.name, 7.5), info.name, bold=True),
    ]
    y = _QR_TOP_MM + _QR_MM + 6
    if info.number is not None:
        lines.append(_Line(y, 4.5, _NUMBER_LABELS.get(info.kind, "NUMBER")))
        lines.append(_Line(y + 15, _fitting(info.number, 16, 1.5), info.number, True, spacing=1.5))
        y += 22
    if info.account is not None:
        lines.append(_Line(y, 5.5, f"Account: {info.account}"))
        y += 7
    if info.amount is not None:
        lines.append(_Line(y, 6.5, f"KSh {info.amount:,.2f}", bold=True))
    return lines


def _fitting(text: str, largest: float, spacing: float = 0.0) -> float:
    """Shrink the font size (mm) until `text` fits between the margins."""
    room = A6_MM[0] - 2 * _MARGIN_MM - spacing * len(text)
    return round(min(largest, room / (_GLYPH_EM * max(len(text), 1))), 2)


def _font(size_px: float, *, bold: bool) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont  # noqa: PLC0415 -- optional, see render_sticker_png

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(name, round(size_px))
    except OSError:  # font not installed: Pillow's own scalable default
        return ImageFont.load_default(size=round(size_px))
