"""Draw a payload as a QR code: PNG for a phone screen, SVG for any size (sticker: `sticker.py`).

The PNG path uses only `qrcode` + `pypng` (qrcode's `PyPNGImage`), because Pillow is not bundled in
the mobile app. SVG is written by hand from the module matrix: crisp at any size and printable, and
text in SVG needs no font rasteriser. Error correction is M (15 %), qrcode's default, which keeps
our 100–150 character payloads at versions 5–8, so modules stay large on a small screen.
"""

from __future__ import annotations

import io
import re
from typing import Any

import qrcode
import qrcode.constants
from qrcode.image.pure import PyPNGImage

QUIET_ZONE = 4  # modules of white around the code, the minimum the QR standard asks for
# 450–570 px for versions 5–8: fills a phone screen's width and scans at arm's length.
PHONE_MODULE_PX = 10
_SVG_LENGTH = re.compile(r"\d+(?:\.\d+)?(?:mm|cm|in|px|pt|%)?")


def render_png(
    payload: str, *, module_px: int = PHONE_MODULE_PX, border: int = QUIET_ZONE
) -> bytes:
    """Return a black-on-white PNG of `payload`, `module_px` pixels per module; needs no Pillow."""
    code = qr_code(payload, border=border, box_size=module_px)
    image = code.make_image(image_factory=PyPNGImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def render_svg(payload: str, *, size: str | None = None, border: int = QUIET_ZONE) -> str:
    """Return an SVG of `payload` whose viewBox is one unit per module; `size` is e.g. "60mm".

    Without `size` the SVG scales to its container (a web page or Flet `Image`).
    """
    if size is not None and not _SVG_LENGTH.fullmatch(size):
        raise ValueError(f"size must be a length such as '60mm' or '300px', got {size!r}")
    matrix = qr_code(payload, border=border).get_matrix()
    width = len(matrix)
    dims = f' width="{size}" height="{size}"' if size else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {width}"{dims} '
        f'shape-rendering="crispEdges">'
        f'<rect width="{width}" height="{width}" fill="#fff"/>{modules_path(matrix)}</svg>'
    )


def qr_code(payload: str, *, border: int = QUIET_ZONE, box_size: int = 1) -> qrcode.QRCode[Any]:
    """Build the QR symbol (error correction M, smallest version that fits)."""
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


def modules_path(matrix: list[list[bool]]) -> str:
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
