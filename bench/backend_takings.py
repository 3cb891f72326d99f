"""Benchmark a day's takings with 1,000,000 payments in the table (aim: < 50 ms).

Seeds the payments table (sqlite3 executemany, fast) with a year of paid payments from several
cashiers and the till, plus the matching rollup rows, exactly as the ledger would have kept them;
then times `GET /v1/takings?date=…` over HTTP against a backend subprocess, and checks the answer
equals a full scan of the payments table for that day. Prints JSON; never fails on time.

    python bench/backend_takings.py [--payments 1000000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sqlite3
import statistics
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

from backend_support import backend_env, free_port, login, prepare, running_backend

NAIROBI = ZoneInfo("Africa/Nairobi")
DAYS = 365


def seed(path: Path, count: int) -> dt.date:
    rng = random.Random(4)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    rollup: dict[tuple[str, int, int, str], list[int]] = defaultdict(lambda: [0, 0])
    db = sqlite3.connect(path)
    db.executemany(
        "INSERT INTO users (id, username, role, secret_hash, disabled, failed_logins, created_at)"
        " VALUES (?, ?, 'cashier', 'x', 0, 0, '2026-01-01 00:00:00')",
        [(i, f"cashier{i}") for i in range(2, 7)],
    )
    batch = []
    for n in range(count):
        moment = start + dt.timedelta(seconds=rng.randrange(DAYS * 86400))
        local = moment.astimezone(NAIROBI)
        cashier = rng.choice((0, 2, 3, 4, 5, 6))
        channel = "till" if cashier == 0 else "stk"
        amount = rng.randrange(10, 5000)
        day = local.date().isoformat()
        stamp = moment.replace(tzinfo=None).isoformat(sep=" ")
        batch.append(
            (
                channel,
                amount,
                cashier or None,
                f"B{n:09d}",
                stamp,
                stamp,
                stamp,
                day,
            )
        )
        bucket = rollup[(day, local.hour, cashier, channel)]
        bucket[0] += amount
        bucket[1] += 1
        if len(batch) == 50_000:
            _insert(db, batch)
            batch = []
    _insert(db, batch)
    db.executemany(
        "INSERT INTO takings (day, hour, cashier_id, channel, total, count) VALUES (?,?,?,?,?,?)",
        [(d, h, c, ch, t, k) for (d, h, c, ch), (t, k) in rollup.items()],
    )
    db.commit()
    db.close()
    return dt.date(2026, 6, 15)


def _insert(db: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    db.executemany(
        "INSERT INTO payments (channel, status, amount, phone_masked, phone_search, reference,"
        " payer_name, requested_by, request_fingerprint, receipt, result_desc, reason, flagged,"
        " flag_reason, created_at, updated_at, paid_at, day, checks)"
        " VALUES (?, 'paid', ?, '', '', '', '', ?, '', ?, '', '', 0, '', ?, ?, ?, ?, 0)",
        rows,
    )


def scan(path: Path, day: dt.date) -> tuple[int, int]:
    db = sqlite3.connect(path)
    total, count = db.execute(
        "SELECT SUM(amount), COUNT(*) FROM payments WHERE status='paid' AND day=?",
        (day.isoformat(),),
    ).fetchone()
    db.close()
    return int(total), int(count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        url = f"sqlite+aiosqlite:///{path}"
        prepare(url)
        began = time.perf_counter()
        day = seed(path, args.payments)
        seeded = time.perf_counter() - began
        expected = scan(path, day)
        port = free_port()
        with running_backend(backend_env(url, port), port) as base:
            token = login(base)
            timings = []
            body: dict[str, object] = {}
            for _ in range(args.rounds):
                request = urllib.request.Request(  # noqa: S310 - loopback
                    f"{base}/v1/takings?date={day.isoformat()}",
                    headers={"Authorization": f"Bearer {token}"},
                )
                t0 = time.perf_counter()
                with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                    body = json.loads(answer.read())
                timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    print(
        json.dumps(
            {
                "benchmark": "backend_takings_day",
                "database": "sqlite",
                "payments_in_table": args.payments,
                "seed_seconds": round(seeded, 1),
                "day": day.isoformat(),
                "payments_that_day": expected[1],
                "matches_full_scan": (body.get("total"), body.get("count")) == expected,
                "http_p50_ms": round(statistics.median(timings), 2),
                "http_p99_ms": round(timings[int(len(timings) * 0.99) - 1], 2),
                "rounds": args.rounds,
            }
        )
    )


if __name__ == "__main__":
    main()
