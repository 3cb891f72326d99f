"""Read QR images back with a real decoder (zxing-cpp), the way a customer's phone would."""

from __future__ import annotations

import io
import re

import zxingcpp
from PIL import Image, ImageDraw

_RUN = re.compile(r"M(\d+) (\d+)h(\d+)v1h-\d+z")


def scan_png(png: bytes) -> str:
    """Return the text of the one QR code in a PNG; fails the test when there is not exactly one."""
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    return _only_text(image)


def scan_svg(svg: str, pixels_per_module: int = 4) -> str:
    """Paint the SVG's module path onto a bitmap and decode that, exactly as it would print."""
    modules = _modules_in(svg)
    path = re.search(r'<path id="qr-modules"[^>]* d="([^"]*)"', svg)
    assert path is not None, "no QR path in the SVG"
    size = modules * pixels_per_module
    image = Image.new("L", (size, size), 255)
    draw = ImageDraw.Draw(image)
    for x, y, run in _RUN.findall(path.group(1)):
        left, top = int(x) * pixels_per_module, int(y) * pixels_per_module
        draw.rectangle(
            (left, top, left + int(run) * pixels_per_module - 1, top + pixels_per_module - 1),
            fill=0,
        )
    return _only_text(image)


def _modules_in(svg: str) -> int:
    boxes = re.findall(r'viewBox="0 0 (\d+) (\d+)"', svg)
    square = [int(w) for w, h in boxes if w == h]
    assert square, "no square viewBox for the QR code"
    return square[-1]


def _only_text(image: Image.Image) -> str:
    results = zxingcpp.read_barcodes(image)
    assert len(results) == 1, f"expected one QR code, decoder found {len(results)}"
    assert results[0].format == zxingcpp.BarcodeFormat.QRCode
    return results[0].text
