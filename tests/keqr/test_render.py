"""Rendering: every image is read back by a real QR decoder (zxing-cpp) and parsed again."""

from __future__ import annotations

import io
import subprocess
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from PIL import Image

from keqr import (
    DecodeError,
    Kind,
    decode,
    paybill_payload,
    render_png,
    render_sticker_png,
    render_sticker_svg,
    render_svg,
    till_payload,
)
from tests.keqr.scan import scan_png, scan_svg
from tests.keqr.vectors import VECTORS

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_TEXT = "{http://www.w3.org/2000/svg}text"


def _svg(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 -- our own freshly rendered SVG, not untrusted input


def _texts(root: ET.Element) -> list[str | None]:
    return [node.text for node in root.iter(SVG_TEXT)]


def test_png_round_trip_gives_the_same_fields() -> None:
    payload = till_payload("5123456", "Duka la Mama Ñjeri — Café", amount=150, city="Nairobi")
    png = render_png(payload)
    assert png.startswith(PNG_SIGNATURE)
    scanned = scan_png(png)
    assert scanned == payload
    qr = decode(scanned)
    assert (qr.kind, qr.number, qr.amount, qr.name, qr.city) == (
        Kind.TILL,
        "5123456",
        Decimal("150.00"),
        "Duka la Mama Njeri - Cafe",
        "Nairobi",
    )


def test_png_is_sized_for_a_phone_screen() -> None:
    payload = till_payload("123456", "Duka la Mama")
    width, height = Image.open(io.BytesIO(render_png(payload))).size
    assert width == height
    assert 300 <= width <= 800  # a phone screen's width, at 10 px per module
    small = Image.open(io.BytesIO(render_png(payload, module_px=2, border=4))).size[0]
    assert small * 5 == width


def test_png_rendering_needs_no_pillow() -> None:
    """The mobile app bundles qrcode + pypng only: render with PIL made unimportable."""
    script = (
        "import sys; sys.modules['PIL'] = None\n"
        "import keqr\n"
        "png = keqr.render_png(keqr.till_payload('123456', 'Shop'))\n"
        "assert png.startswith(b'\\x89PNG'), png[:8]\n"
        "print(len(png))\n"
    )
    done = subprocess.run(  # noqa: S603 -- fixed argv: this interpreter and our own script
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 100


def test_svg_round_trip() -> None:
    payload = paybill_payload("888880", "ACC12345", "Kenya Power", amount="2500.50")
    svg = render_svg(payload)
    root = _svg(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "width" not in root.attrib  # scales to its container
    assert scan_svg(svg) == payload


def test_svg_with_a_physical_size() -> None:
    root = _svg(render_svg(till_payload("123456", "Shop"), size="60mm"))
    assert (root.attrib["width"], root.attrib["height"]) == ("60mm", "60mm")


def test_till_sticker_is_a6_with_name_and_number_under_the_code() -> None:
    payload = till_payload("5123456", "Mama & Sons <Wholesale>", city="Thika")
    svg = render_sticker_svg(payload)
    root = _svg(svg)  # well-formed: the & and < in the name are escaped
    assert (root.attrib["width"], root.attrib["height"]) == ("105mm", "148mm")
    texts = _texts(root)
    assert texts == ["Scan to pay with M-PESA", "Mama & Sons <Wholesale>", "TILL NUMBER", "5123456"]
    number = next(n for n in root.iter(SVG_TEXT) if n.text == "5123456")
    assert float(number.attrib["font-size"]) >= 12  # large digits, readable across a counter
    assert float(number.attrib["y"]) > 27 + 78  # under the code
    assert scan_svg(svg) == payload


def test_paybill_sticker_shows_account_and_amount() -> None:
    payload = paybill_payload("888880", "ACC12345", "Kenya Power", amount=Decimal("2500.5"))
    root = _svg(render_sticker_svg(payload, heading="Lipa na M-PESA"))
    texts = _texts(root)
    assert texts == [
        "Lipa na M-PESA",
        "Kenya Power",
        "PAYBILL",
        "888880",
        "Account: ACC12345",
        "KSh 2,500.50",
    ]


def test_long_name_gets_a_smaller_font_on_the_sticker() -> None:
    short = _svg(render_sticker_svg(till_payload("123456", "Duka")))
    long = _svg(render_sticker_svg(till_payload("123456", "W" * 25)))

    def name_size(root: ET.Element) -> float:
        return float(list(root.iter(SVG_TEXT))[1].attrib["font-size"])

    assert name_size(long) < name_size(short)
    assert name_size(long) * 0.62 * 25 <= 105


def test_sticker_of_a_bank_payload_has_no_number_line() -> None:
    root = _svg(render_sticker_svg(VECTORS["equity-ke-qr"]))
    texts = _texts(root)
    assert texts == ["Scan to pay with M-PESA", "Thika Vivian Stores"]


def test_sticker_refuses_a_payload_that_is_not_ke_qr() -> None:
    with pytest.raises(DecodeError):
        render_sticker_svg("https://example.com/pay")


def test_any_text_can_be_rendered_as_a_plain_code() -> None:
    assert scan_png(render_png("https://example.com/pay")) == "https://example.com/pay"


@pytest.mark.parametrize("payload", ["", None])
def test_empty_payload_is_refused(payload: object) -> None:
    with pytest.raises(TypeError, match="non-empty string"):
        render_png(payload)  # type: ignore[arg-type]


def test_bad_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="module_px"):
        render_png("x", module_px=0)


def test_sticker_png_is_a6_at_the_asked_dpi_and_scans() -> None:
    payload = till_payload("5123456", "Duka la Mama", amount=150)
    png = render_sticker_png(payload, dpi=150)
    image = Image.open(io.BytesIO(png))
    assert image.size == (620, 874)  # 105 x 148 mm at 150 dpi
    assert round(image.info["dpi"][0]) == 150
    assert scan_png(png) == payload


def test_sticker_png_says_it_needs_pillow_when_pillow_is_missing() -> None:
    script = (
        "import sys; sys.modules['PIL'] = None\n"
        "import keqr\n"
        "try:\n"
        "    keqr.render_sticker_png(keqr.till_payload('123456', 'Shop'))\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    done = subprocess.run(  # noqa: S603 -- fixed argv: this interpreter and our own script
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "needs Pillow" in done.stdout
    assert "render_sticker_svg" in done.stdout


def test_sticker_png_refuses_a_tiny_dpi() -> None:
    with pytest.raises(ValueError, match="dpi"):
        render_sticker_png(till_payload("123456", "Shop"), dpi=10)


@pytest.mark.parametrize("size", ["60", '60mm" onload="alert(1)', "big"])
def test_svg_size_must_be_a_plain_length(size: str) -> None:
    if size == "60":
        assert 'width="60"' in render_svg("x", size=size)
        return
    with pytest.raises(ValueError, match="size must be a length"):
        render_svg("x", size=size)
