"""bench/keqr.py runs and prints the JSON figures the README quotes (timings are not checked)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "keqr.py"


def test_bench_prints_its_figures_as_json() -> None:
    done = subprocess.run(  # noqa: S603 -- fixed argv: this interpreter and our own script
        [sys.executable, str(BENCH), "--seconds", "0.01"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["benchmark"] == "keqr"
    assert figures["qr_version"]["static_till"] <= figures["qr_version"]["dynamic_paybill"]
    for key in ("till_payload_us", "decode_us", "render_png_ms", "sticker_png_ms"):
        assert figures[key] > 0
