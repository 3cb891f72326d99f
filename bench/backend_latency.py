"""Benchmark callback-to-device latency: 1,000 SSE subscribers, STK callbacks fired at the backend.

Each subscriber is a raw keep-alive connection on /v1/events (an owner token, so every event goes
to every subscriber). Callbacks for pre-seeded pending payments are posted one at a time, spaced
out so the figure is latency, not a queue; for each (callback, subscriber) pair the clock runs
from just before the callback POST is written to the moment that subscriber reads the
`payment.paid` event. Prints JSON (p50/p99 over all deliveries, and over the slowest subscriber
per callback, plus the backend's CPU per delivery and the box's load average, since the latency
tail follows the load of whatever else runs on the machine); never fails on time.

    python bench/backend_latency.py [--subscribers 1000] [--callbacks 100] [--gap 0.05]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import re
import tempfile
import time
from pathlib import Path

from backend_support import (
    SECRET,
    RawHttp,
    backend_env,
    free_port,
    login,
    percentile,
    prepare,
    running_backend,
    seed_pending,
    stk_callback,
)

PAYMENT_ID = re.compile(rb'"kind":"payment\.paid"[^\n]*?"payment":\{"id":(\d+)')


def backend_cpu_seconds(port: int) -> float:
    """User + system CPU the backend serving on `port` has used so far (Linux /proc)."""
    for stat in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            argv = stat.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"backend" in argv and b"serve" in argv and str(port).encode() in argv:
            fields = (stat.parent / "stat").read_text().rpartition(")")[2].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return float("nan")


class Subscriber:
    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.token = token
        self.arrivals: dict[int, float] = {}
        self.ready = asyncio.Event()

    async def run(self) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        writer.write(
            (
                f"GET /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Authorization: Bearer {self.token}\r\nAccept: text/event-stream\r\n\r\n"
            ).encode()
        )
        await reader.readuntil(b"\r\n\r\n")
        pending = b""
        try:
            while True:
                # Whole chunks, not lines: one wake-up per frame keeps the load generator's own
                # cost (four lines per frame x 1,000 streams) out of the backend's figure.
                chunk = await reader.read(65536)
                if not chunk:
                    return
                now = time.perf_counter()
                pending += chunk
                complete, _, pending = pending.rpartition(b"\n\n")
                if b"connected" in complete:
                    self.ready.set()
                for found in PAYMENT_ID.finditer(complete):
                    self.arrivals[int(found.group(1))] = now
        finally:
            writer.close()


async def measure(port: int, token: str, payments: list[str], args: argparse.Namespace) -> dict:
    subscribers = [Subscriber(port, token) for _ in range(args.subscribers)]
    tasks = []
    for index, sub in enumerate(subscribers):
        tasks.append(asyncio.create_task(sub.run()))
        if index % 100 == 99:
            await asyncio.sleep(0.05)  # do not SYN-flood the listen backlog
    await asyncio.wait_for(asyncio.gather(*(s.ready.wait() for s in subscribers)), 120)
    http = await RawHttp(port).open()
    sent: dict[int, float] = {}
    gc.disable()  # the load generator's own pauses are not the backend's latency
    cpu_before = backend_cpu_seconds(port)
    for index, checkout in enumerate(payments):
        payment_id = index + 1  # seeded into an empty table: ids 1..N in order
        body = stk_callback(checkout, f"L{index:09d}")
        sent[payment_id] = time.perf_counter()
        await http.post(f"/callbacks/{SECRET}/stk", body)
        await asyncio.sleep(args.gap)
    await asyncio.sleep(2.0)
    cpu = backend_cpu_seconds(port) - cpu_before
    gc.enable()
    await http.close()
    for task in tasks:
        task.cancel()
    deliveries: list[float] = []
    slowest: list[float] = []
    missing = 0
    for payment_id, t0 in sent.items():
        per = [s.arrivals[payment_id] - t0 for s in subscribers if payment_id in s.arrivals]
        missing += len(subscribers) - len(per)
        deliveries += per
        if per:
            slowest.append(max(per))
    ms = 1000.0
    return {
        "subscribers": args.subscribers,
        "callbacks": len(payments),
        "deliveries": len(deliveries),
        "missing_deliveries": missing,
        "p50_ms": round(percentile(deliveries, 50) * ms, 1),
        "p99_ms": round(percentile(deliveries, 99) * ms, 1),
        "slowest_subscriber_p50_ms": round(percentile(slowest, 50) * ms, 1),
        "slowest_subscriber_p99_ms": round(percentile(slowest, 99) * ms, 1),
        # CPU rather than wall time: what the fan-out costs, whatever else the box is doing.
        "backend_cpu_us_per_delivery": round(cpu / max(len(deliveries), 1) * 1e6, 2),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--callbacks", type=int, default=100)
    parser.add_argument("--gap", type=float, default=0.05)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        prepare(url)
        payments = asyncio.run(seed_pending(url, args.callbacks))
        port = free_port()
        with running_backend(backend_env(url, port), port) as base:
            token = login(base)
            result = asyncio.run(measure(port, token, payments, args))
    print(json.dumps({"benchmark": "backend_callback_to_device", "database": "sqlite", **result}))


if __name__ == "__main__":
    main()
