"""Benchmark the Daraja simulator: STK Push requests/s (p50/p99) and callbacks delivered/s.

Starts `python -m daraja_sim` (uvicorn, httptools, uvloop) in its own process, drives it with a
minimal keep-alive HTTP/1.1 load generator (raw asyncio streams: a Python HTTP client would be the
bottleneck on a 2-core machine) and counts callbacks on a raw asyncio receiver in this process.
Every CheckoutRequestID must be unique and every callback must arrive exactly once. Prints JSON;
never fails on time.

    python bench/sim.py [--requests 6000] [--connections 32]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

try:
    import uvloop
except ImportError:  # plain asyncio still works, just slower
    uvloop = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parent.parent
PASSKEY = "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919"
STK_PATH = "/mpesa/stkpush/v1/processrequest"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Receiver:
    """Count callback POSTs and the CheckoutRequestIDs they carry."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.last_at = 0.0
        self.target = 0
        self.reached = asyncio.Event()

    def expect(self, count: int) -> None:
        """Set `reached` once `count` callbacks have arrived (counting from now)."""
        self.ids.clear()
        self.target = count
        self.reached.clear()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                _, body = await read_message(reader)
                callback = json.loads(body)["Body"]["stkCallback"]
                self.last_at = time.perf_counter()
                self.ids.append(callback["CheckoutRequestID"])
                if len(self.ids) >= self.target:
                    self.reached.set()
                writer.write(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                    b'content-length: 36\r\n\r\n{"ResultCode":0,"ResultDesc":"Ok"}  '
                )
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


async def read_message(reader: asyncio.StreamReader) -> tuple[bytes, bytes]:
    """Read one HTTP/1.1 message framed by Content-Length; return (head, body)."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    return head, await reader.readexactly(length)


async def http_request(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, raw: bytes
) -> tuple[int, bytes]:
    writer.write(raw)
    head, body = await read_message(reader)
    return int(head[9:12]), body


async def get_token(port: int) -> str:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    basic = base64.b64encode(b"duka-sim-key:duka-sim-secret").decode()
    raw = (
        f"GET /oauth/v1/generate?grant_type=client_credentials HTTP/1.1\r\nhost: 127.0.0.1\r\n"
        f"authorization: Basic {basic}\r\n\r\n"
    ).encode()
    _, body = await http_request(reader, writer, raw)
    writer.close()
    return str(json.loads(body)["access_token"])


def stk_request(port: int, token: str, callback_url: str) -> bytes:
    stamp = time.strftime("%Y%m%d%H%M%S")
    body = json.dumps(
        {
            "BusinessShortCode": "174379",
            "Password": base64.b64encode(f"174379{PASSKEY}{stamp}".encode()).decode(),
            "Timestamp": stamp,
            "TransactionType": "CustomerPayBillOnline",
            "Amount": 1,
            "PartyA": "254700000000",
            "PartyB": "174379",
            "PhoneNumber": "254700000000",
            "CallBackURL": callback_url,
            "AccountReference": "BENCH",
            "TransactionDesc": "bench",
        }
    ).encode()
    head = (
        f"POST {STK_PATH} HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\nauthorization: Bearer {token}\r\n"
        f"content-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n"
    ).encode()
    return head + body


async def load(port: int, raw: bytes, total: int, connections: int) -> dict[str, Any]:
    latencies: list[float] = []
    ids: list[str] = []
    errors = 0
    remaining = total

    async def worker() -> None:
        nonlocal remaining, errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            status, body = await http_request(reader, writer, raw)
            latencies.append(time.perf_counter() - started)
            if status == 200:
                ids.append(json.loads(body)["CheckoutRequestID"])
            else:
                errors += 1
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "started": started,
        "elapsed": elapsed,
        "ids": ids,
        "errors": errors,
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2),
    }


async def run(requests: int, connections: int, warmup: int) -> dict[str, Any]:
    receiver = Receiver()
    server = await asyncio.start_server(receiver.handle, "127.0.0.1", 0)
    callback_url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/cb"
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    sim = await asyncio.create_subprocess_exec(
        *[sys.executable, "-m", "daraja_sim", "--port", str(port), "--callback-delay", "0"],
        stdout=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                token = await get_token(port)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.05)
        raw = stk_request(port, token, callback_url)
        receiver.expect(warmup)
        await load(port, raw, warmup, connections)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(receiver.reached.wait(), 30)
        receiver.expect(requests)
        result = await load(port, raw, requests, connections)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(receiver.reached.wait(), 60)
        await asyncio.sleep(0.5)  # let any duplicate arrive before counting
    finally:
        sim.terminate()
        await sim.wait()
        server.close()
    pushed = result["ids"]
    delivered = receiver.ids
    window = receiver.last_at - result["started"] if delivered else float("nan")
    return {
        "benchmark": "daraja_sim",
        "cpu_count": os.cpu_count(),
        "connections": connections,
        "stk_push_requests": requests,
        "stk_push_per_s": round(requests / result["elapsed"], 1),
        "stk_push_latency_p50_ms": result["p50_ms"],
        "stk_push_latency_p99_ms": result["p99_ms"],
        "stk_push_errors": result["errors"],
        "checkout_ids_unique": len(set(pushed)) == len(pushed),
        "callbacks_expected": len(pushed),
        "callbacks_delivered": len(delivered),
        "callbacks_duplicated": len(delivered) - len(set(delivered)),
        "callbacks_lost": len(set(pushed) - set(delivered)),
        "callbacks_per_s": round(len(delivered) / window, 1) if delivered else 0.0,
        "server": "uvicorn --http httptools --loop uvloop, 1 process",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=6000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--warmup", type=int, default=500)
    args = parser.parse_args()
    if uvloop is not None:
        uvloop.install()
    print(json.dumps(asyncio.run(run(args.requests, args.connections, args.warmup)), indent=2))


if __name__ == "__main__":
    main()
