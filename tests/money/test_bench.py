"""bench/money.py runs end to end and prints every figure (times are never asserted)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "money.py"


async def test_money_bench_reports_every_figure() -> None:
    spec = importlib.util.spec_from_file_location("bench_money", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_money"] = module
    spec.loader.exec_module(module)
    figures = await module.main(2)
    assert figures["rounds"] == 2
    for name in (
        "refund_reversal_to_refunded",
        "payout_b2c_confirm_to_paid",
        "verify_from_ledger",
        "verify_via_transaction_status",
        "balance_cached",
    ):
        assert set(figures[name]) == {"median_ms", "p90_ms"}
    assert figures["balance_fresh_ms"] >= 0
