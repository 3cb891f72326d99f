"""Benchmark the Daraja client against raw httpx; prints one JSON object, never fails on time.

The issue's aim: the client should cost under 10 % over raw httpx posting the same bodies. Every
comparison runs client and raw interleaved (A B, B A, A B, …) on the same bodies, and reports
medians and the overhead of each back-to-back pair, so drift and neighbours' load favour neither.

Figures:
- `oauth_requests_per_1000_concurrent_stk_pushes`: a cold client, 1,000 pushes at once (must be 1).
- `validation_and_body_us_per_push`: `StkPushRequest.build` + `to_wire` alone, no I/O.
- `in_process`: CPU µs per push with no network or simulator (one shared httpx.MockTransport):
  what the client's own validation and bookkeeping cost next to httpx's. A third side, raw httpx
  handed the absolute URL, separates the client's own work from the URL joining it skips.
- `loopback_by_concurrency`: pushes/s and this process's CPU µs per push against the simulator,
  1, 8 and 50 at a time. CPU per push is disturbed far less than wall-clock rates by other
  processes on a shared machine; at 50 at a time httpcore's pool bookkeeping (it polls idle
  pooled connections while assigning each request) makes both sides' figures swing widely.
- `load_average_1min_before_after`: how busy the machine was (figures on a busy box are noisier).

The raw side is what a careful developer writes with bare httpx: a pooled `AsyncClient` with
`base_url`, `post(path, json=body, headers=...)`, `raise_for_status()`, `json()`.

The simulator runs in a subprocess (its own interpreter, so it does not share our GIL) on a free
loopback port; pushes go to test phone 254700000005, whose callback is never sent, so the
simulator spends no time delivering callbacks.

Usage: .venv/bin/python bench/daraja_client.py [--pushes 600] [--concurrency 1,8,50] [--rounds 8]
       [--in-process-pushes 2000] [--in-process-rounds 12]"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend.daraja import DarajaClient, DarajaCredentials, DarajaError  # noqa: E402 - after sys.path
from backend.daraja.stk import StkPushRequest  # noqa: E402 - after sys.path

PASSKEY = "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919"
PUSH_PATH = "/mpesa/stkpush/v1/processrequest"
PHONE = "254700000005"  # simulator: pays, callback never sent
CALLBACK = "http://127.0.0.1:9/stk"
SIM_SCRIPT = """
import sys, uvicorn
from daraja_sim import SimConfig, create_app
app = create_app(SimConfig(callback_delay_seconds=0, seed=1))
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_sim() -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter running our own simulator
        [sys.executable, "-c", SIM_SCRIPT, str(port)], cwd=ROOT
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("simulator exited during start-up")
        try:
            httpx.get(f"{url}/__sim__/cert.pem", timeout=1)
            return proc, url
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("simulator did not start within 30 s")


def _credentials() -> DarajaCredentials:
    return DarajaCredentials(
        consumer_key="duka-sim-key",
        consumer_secret="duka-sim-secret",  # noqa: S106 - the simulator's public test secret
        shortcode="174379",
        passkey=PASSKEY,
    )


def _client(url: str, concurrency: int) -> DarajaClient:
    return DarajaClient(_credentials(), base_url=url, max_connections=concurrency)


async def _push(client: DarajaClient, amount: int) -> None:
    await client.stk_push(
        amount=amount,
        phone="0700 000 005",
        callback_url=CALLBACK,
        account_reference="Bench",
        description="Bench",
    )


async def _oauth_per_thousand(url: str) -> int:
    async with _client(url, 100) as client:
        await asyncio.gather(*(_push(client, 1 + i % 100) for i in range(1000)))
        return client.oauth_requests


# CPU time this process spent per push in the latest `_run_bounded` (the simulator is elsewhere).
CPU_US_PER_PUSH: list[float] = []
# Pushes that failed during the timed runs, by error type (reported, never fatal).
FAILURES: dict[str, int] = {}


async def _run_bounded(count: int, concurrency: int, one: object) -> float:
    """Run `one(i)` for i in range(count), `concurrency` at a time; return pushes per second."""
    next_index = 0

    async def worker() -> None:
        nonlocal next_index
        while next_index < count:
            i = next_index
            next_index += 1
            try:
                await one(i)  # type: ignore[operator]
            except (httpx.HTTPError, DarajaError) as exc:
                # A loaded machine can time a request out; count it rather than abort the run.
                FAILURES[type(exc).__name__] = FAILURES.get(type(exc).__name__, 0) + 1

    start, cpu_start = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    CPU_US_PER_PUSH.append((time.process_time() - cpu_start) / count * 1e6)
    return count / (time.perf_counter() - start)


async def _client_rate(url: str, count: int, concurrency: int) -> float:
    async with _client(url, concurrency) as client:
        await _push(client, 1)  # token and pool warm, like the raw run
        return await _run_bounded(count, concurrency, lambda i: _push(client, 1 + i % 100))


async def _raw_rate(url: str, count: int, concurrency: int) -> float:
    # The same bodies the client sends, prebuilt, with a token fetched once.
    async with _client(url, concurrency) as helper:
        token = await helper._session.tokens.get()
        bodies = _bodies(helper, count)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as raw:
        post = _raw_request(raw, {"Authorization": f"Bearer {token}"})
        await post(bodies[0])
        return await _run_bounded(count, concurrency, lambda i: post(bodies[i]))


ACK = {
    "MerchantRequestID": "2654-4b64-97ff-b827b542881d3130",
    "CheckoutRequestID": "ws_CO_1007202409152617172396192",
    "ResponseCode": "0",
    "ResponseDescription": "Success. Request accepted for processing",
    "CustomerMessage": "Success. Request accepted for processing",
}


def _in_memory_daraja(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/oauth/v1/generate":
        return httpx.Response(200, json={"access_token": "t", "expires_in": "3599"})
    return httpx.Response(200, json=ACK)


def _raw_request(
    raw: httpx.AsyncClient, headers: dict[str, str], url: str | httpx.URL = PUSH_PATH
) -> Callable[[dict[str, Any]], Any]:
    """What a careful developer writes with bare httpx: post the body, check status, decode."""

    async def post(body: dict[str, Any]) -> None:
        response = await raw.post(url, json=body, headers=headers)
        response.raise_for_status()
        response.json()

    return post


async def _in_process_pairs(rounds: int, count: int) -> dict[str, object]:
    """CPU µs per push with no network (one httpx.MockTransport): client and raw, interleaved.

    All sides send the same bodies (amounts 1..100) through the same transport; each round runs
    `count` pushes per side back to back, rotating which goes first. The third side is raw httpx
    handed the absolute URL, as the client does internally: it shows the client's own work with
    httpx's per-request URL joining taken out of the comparison.
    """
    transport = httpx.MockTransport(_in_memory_daraja)
    async with (
        DarajaClient(_credentials(), base_url="http://daraja.test", transport=transport) as client,
        httpx.AsyncClient(base_url="http://daraja.test", transport=transport) as raw,
    ):
        bodies = _bodies(client, count)
        headers = {"Authorization": "Bearer t"}
        post = _raw_request(raw, headers)
        post_absolute = _raw_request(raw, headers, httpx.URL(f"http://daraja.test{PUSH_PATH}"))
        await _push(client, 1)
        await post(bodies[0])

        async def client_run() -> float:
            start = time.process_time()
            for i in range(count):
                await _push(client, 1 + i % 100)
            return (time.process_time() - start) / count * 1e6

        def raw_run(send: Callable[[dict[str, Any]], Any]) -> Callable[[], Any]:
            async def run() -> float:
                start = time.process_time()
                for body in bodies:
                    await send(body)
                return (time.process_time() - start) / count * 1e6

            return run

        client_us, raw_us, absolute_us = await _interleaved(
            rounds, client_run, raw_run(post), raw_run(post_absolute)
        )
    return {
        "client_us_per_push_median": round(statistics.median(client_us), 1),
        "raw_httpx_us_per_push_median": round(statistics.median(raw_us), 1),
        "overhead_pct_median_of_pairs": _median_overhead(client_us, raw_us),
        "overhead_pct_per_pair": _overheads(client_us, raw_us),
        "raw_httpx_absolute_url_us_per_push_median": round(statistics.median(absolute_us), 1),
        "overhead_over_absolute_url_pct_median_of_pairs": _median_overhead(client_us, absolute_us),
        "client_us_per_push_runs": [round(v, 1) for v in client_us],
        "raw_httpx_us_per_push_runs": [round(v, 1) for v in raw_us],
        "raw_httpx_absolute_url_us_per_push_runs": [round(v, 1) for v in absolute_us],
        "rounds": rounds,
        "pushes_per_run": count,
    }


def _bodies(client: DarajaClient, count: int) -> list[dict[str, Any]]:
    """The exact bodies the client sends for amounts 1..100 (Password/Timestamp of now)."""
    request = StkPushRequest.build(
        amount=1,
        phone=PHONE,
        callback_url=CALLBACK,
        account_reference="Bench",
        description="Bench",
        https_only=False,
    )
    wire = request.to_wire(client._session)  # the bench borrows the client's body builder only
    return [{**wire, "Amount": 1 + i % 100} for i in range(count)]


async def _interleaved(rounds: int, *runs: Callable[[], Any]) -> list[list[float]]:
    """Run A B, B A, A B, … (or A B C, B C A, …) so warm-up, drift and load favour no side."""
    values: list[list[float]] = [[] for _ in runs]
    for round_number in range(rounds):
        for offset in range(len(runs)):
            side = (round_number + offset) % len(runs)
            values[side].append(await runs[side]())
    return values


def _overheads(client_costs: list[float], raw_costs: list[float]) -> list[float]:
    """Per pair, how much more the client costs than raw httpx, in percent."""
    return [round((c / r - 1) * 100, 1) for c, r in zip(client_costs, raw_costs, strict=True)]


def _median_overhead(client_costs: list[float], raw_costs: list[float]) -> float:
    ratios = [c / r for c, r in zip(client_costs, raw_costs, strict=True)]
    return round((statistics.median(ratios) - 1) * 100, 1)


def _validation_us(count: int = 20_000) -> float:
    """Validation and body building alone (no I/O): what the client adds before httpx."""
    client = DarajaClient(_credentials(), base_url="http://daraja.test")
    start = time.process_time()
    for i in range(count):
        StkPushRequest.build(
            amount=1 + i % 100,
            phone="0700 000 005",
            callback_url=CALLBACK,
            account_reference="Bench",
            description="Bench",
            https_only=False,
        ).to_wire(client._session)
    return round((time.process_time() - start) / count * 1e6, 2)


async def _loopback_pairs(
    url: str, pushes: int, concurrency: int, rounds: int
) -> dict[str, object]:
    """Pushes/s and CPU per push against the simulator, client and raw interleaved."""
    FAILURES.clear()
    client_rates: list[float] = []
    raw_rates: list[float] = []
    client_cpu: list[float] = []
    raw_cpu: list[float] = []

    async def client_run() -> float:
        client_rates.append(await _client_rate(url, pushes, concurrency))
        client_cpu.append(CPU_US_PER_PUSH[-1])
        return client_rates[-1]

    async def raw_run() -> float:
        raw_rates.append(await _raw_rate(url, pushes, concurrency))
        raw_cpu.append(CPU_US_PER_PUSH[-1])
        return raw_rates[-1]

    await _interleaved(rounds, client_run, raw_run)
    # A rate is the inverse of a cost: time per push is 1/rate.
    client_time = [1 / r for r in client_rates]
    raw_time = [1 / r for r in raw_rates]
    return {
        "client_pushes_per_s_median": round(statistics.median(client_rates), 1),
        "raw_httpx_pushes_per_s_median": round(statistics.median(raw_rates), 1),
        "overhead_pct_median_of_pairs": _median_overhead(client_time, raw_time),
        "overhead_pct_per_pair": _overheads(client_time, raw_time),
        "client_cpu_us_per_push_median": round(statistics.median(client_cpu), 1),
        "raw_httpx_cpu_us_per_push_median": round(statistics.median(raw_cpu), 1),
        "cpu_overhead_pct_median_of_pairs": _median_overhead(client_cpu, raw_cpu),
        "cpu_overhead_pct_per_pair": _overheads(client_cpu, raw_cpu),
        "client_pushes_per_s_runs": [round(r, 1) for r in client_rates],
        "raw_httpx_pushes_per_s_runs": [round(r, 1) for r in raw_rates],
        "failed_pushes": dict(FAILURES),
        "rounds": rounds,
        "pushes_per_run": pushes,
        "concurrency": concurrency,
    }


async def _measure(args: argparse.Namespace, url: str) -> dict[str, object]:
    load_before = os.getloadavg()
    result: dict[str, object] = {"benchmark": "daraja_client"}
    result["oauth_requests_per_1000_concurrent_stk_pushes"] = await _oauth_per_thousand(url)
    result["validation_and_body_us_per_push"] = _validation_us()
    result["in_process"] = await _in_process_pairs(args.in_process_rounds, args.in_process_pushes)
    result["loopback_by_concurrency"] = {
        str(concurrency): await _loopback_pairs(url, args.pushes, concurrency, args.rounds)
        for concurrency in args.concurrency
    }
    result["load_average_1min_before_after"] = [
        round(load_before[0], 2),
        round(os.getloadavg()[0], 2),
    ]
    result["python"] = platform.python_version()
    result["httpx"] = httpx.__version__
    result["cpus"] = os.cpu_count()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pushes", type=int, default=600, help="per loopback run")
    parser.add_argument(
        "--concurrency",
        type=lambda text: [int(part) for part in text.split(",")],
        default=[1, 8, 50],
        help="comma-separated loopback concurrency levels",
    )
    parser.add_argument("--rounds", type=int, default=8, help="loopback client/raw pairs")
    parser.add_argument("--in-process-pushes", type=int, default=2000)
    parser.add_argument("--in-process-rounds", type=int, default=12)
    args = parser.parse_args()
    proc, url = _start_sim()
    try:
        result = asyncio.run(_measure(args, url))
    finally:
        proc.terminate()
        proc.wait(10)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
