"""Benchmark keqr: how fast payloads are built, read back and drawn; prints one JSON object.

Figures (per call, best of several short rounds, single thread):
- `till_payload_us`, `decode_us`: building and validating a dynamic till payload.
- `render_png_ms`: the phone-screen PNG (qrcode + pypng, no Pillow) and its size in bytes/pixels.
- `render_svg_ms`, `sticker_svg_ms`, `sticker_png_ms` (Pillow, 300 dpi A6).
- `qr_version`: the QR version our payloads need (static till and dynamic paybill).

Never fails on time. Usage: .venv/bin/python bench/keqr.py [--seconds 0.3]
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import keqr  # noqa: E402 - after sys.path
from keqr.render import qr_code  # noqa: E402 - after sys.path


def _per_call(action: Callable[[], Any], seconds: float, rounds: int = 3) -> float:
    """Best mean seconds per call over `rounds` rounds of about `seconds` each."""
    best = float("inf")
    for _ in range(rounds):
        calls, started = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - started) < seconds:
            action()
            calls += 1
        best = min(best, elapsed / calls)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=0.3, help="length of one timing round")
    args = parser.parse_args()

    till = keqr.till_payload("5123456", "Duka la Mama Ñjeri — Café", amount=1250, city="Nairobi")
    static = keqr.till_payload("5123456", "Duka la Mama", city="Nairobi")
    paybill = keqr.paybill_payload("888880", "ACC12345678", "Kenya Power", amount="2500.50")
    png = keqr.render_png(till)
    from PIL import Image  # noqa: PLC0415 - only to report the PNG's pixel size

    width = Image.open(io.BytesIO(png)).size[0]
    figures: dict[str, Any] = {
        "benchmark": "keqr",
        "python": platform.python_version(),
        "machine": platform.machine(),
        "payload_chars": {
            "static_till": len(static),
            "dynamic_till": len(till),
            "dynamic_paybill": len(paybill),
        },
        "qr_version": {
            "static_till": qr_code(static).version,
            "dynamic_till": qr_code(till).version,
            "dynamic_paybill": qr_code(paybill).version,
        },
        "till_payload_us": round(
            _per_call(
                lambda: keqr.till_payload("5123456", "Duka la Mama", amount=1250), args.seconds
            )
            * 1e6,
            1,
        ),
        "decode_us": round(_per_call(lambda: keqr.decode(till), args.seconds) * 1e6, 1),
        "render_png_ms": round(_per_call(lambda: keqr.render_png(till), args.seconds) * 1e3, 2),
        "render_png_bytes": len(png),
        "render_png_px": width,
        "render_svg_ms": round(_per_call(lambda: keqr.render_svg(till), args.seconds) * 1e3, 2),
        "sticker_svg_ms": round(
            _per_call(lambda: keqr.render_sticker_svg(till), args.seconds) * 1e3, 2
        ),
        "sticker_png_ms": round(
            _per_call(lambda: keqr.render_sticker_png(till), args.seconds, rounds=1) * 1e3, 1
        ),
    }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
