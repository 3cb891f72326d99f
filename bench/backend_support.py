"""Shared by the backend benchmarks: a backend subprocess, seeded payments, a raw HTTP client.

The backend runs as `python -m backend serve` in its own process (its own GIL, uvloop and
httptools), and the load comes from raw asyncio streams: a Python HTTP client would be the
bottleneck on a 2-core machine, not the backend.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend.core.db import Database  # noqa: E402
from backend.migrations import upgrade_database  # noqa: E402
from backend.models import Payment  # noqa: E402

SECRET = "benchbenchbenchbenchbenchbenchbenchbench00000000"  # noqa: S105 - a test value
OWNER, PASSWORD = "owner", "owner-password-1"
PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def backend_env(database_url: str, port: int, schema: str | None = None) -> dict[str, str]:
    env = {
        "DUKA_DATABASE_URL": database_url,
        "DUKA_DARAJA_BASE_URL": "http://127.0.0.1:9",  # never called: payments are pre-seeded
        "DUKA_DARAJA_CONSUMER_KEY": "bench-key",
        "DUKA_DARAJA_CONSUMER_SECRET": "bench-secret",
        "DUKA_DARAJA_PASSKEY": "0" * 64,
        "DUKA_SHORTCODE": "174379",
        "DUKA_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "DUKA_CALLBACK_SECRET": SECRET,
        "DUKA_ARGON2_TIME_COST": "1",
        "DUKA_ARGON2_MEMORY_KIB": "8192",
        "DUKA_HEARTBEAT_SECONDS": "15",
    }
    if schema:
        env["DUKA_DATABASE_SCHEMA"] = schema
    return env


def cli(env: dict[str, str], *args: str, stdin: str = "") -> None:
    subprocess.run(  # noqa: S603 - our interpreter, our module
        [sys.executable, "-m", "backend", *args],
        input=stdin,
        text=True,
        env={**os.environ, **env},
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


@contextlib.contextmanager
def running_backend(env: dict[str, str], port: int) -> Iterator[str]:
    """Start the backend and yield its URL; stop it afterwards."""
    process = subprocess.Popen(  # noqa: S603 - our interpreter, our module
        [sys.executable, "-m", "backend", "serve", "--port", str(port), "--log-level", "warning"],
        env={**os.environ, **env},
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{url}/healthz", timeout=1),  # noqa: S310 - loopback
            ):
                break
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(20)


def login(url: str) -> str:
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"{url}/v1/session",
        data=json.dumps({"username": OWNER, "secret": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback
        return str(json.loads(answer.read())["token"])


def prepare(database_url: str, schema: str | None = None) -> None:
    """Migrate and create the owner."""
    env = backend_env(database_url, 0, schema)
    upgrade_database(database_url, schema)
    cli(env, "create-owner", "--username", OWNER, "--password-stdin", stdin=PASSWORD + "\n")


async def seed_pending(
    database_url: str, count: int, schema: str | None = None, amount: int = 10
) -> list[str]:
    """Insert `count` pending STK payments with CheckoutRequestIDs; return those ids."""
    db = Database(database_url, schema)
    now = dt.datetime.now(dt.UTC)
    far = now + dt.timedelta(days=1)  # keep the reconciler away from them
    ids = [f"ws_CO_bench_{i:08d}" for i in range(count)]
    rows: list[dict[str, Any]] = [
        {
            "channel": "stk",
            "status": "pending",
            "amount": amount,
            "phone": "254700000000",
            "phone_masked": "2547••••000",
            "phone_search": "254700000000",
            "reference": "",
            "payer_name": "",
            "requested_by": 1,
            "idempotency_key": f"bench-{i}",
            "request_fingerprint": "",
            "checkout_request_id": checkout,
            "merchant_request_id": f"m-{i}",
            "result_desc": "",
            "reason": "",
            "flagged": False,
            "flag_reason": "",
            "created_at": now,
            "updated_at": now,
            "next_check_at": far,
            "checks": 0,
        }
        for i, checkout in enumerate(ids)
    ]
    async with db.write() as session:
        for start in range(0, len(rows), 2000):
            await session.execute(Payment.__table__.insert(), rows[start : start + 2000])
    await db.dispose()
    return ids


def stk_callback(checkout: str, receipt: str, amount: int = 10) -> bytes:
    body = {
        "Body": {
            "stkCallback": {
                "MerchantRequestID": "bench",
                "CheckoutRequestID": checkout,
                "ResultCode": 0,
                "ResultDesc": "The service request is processed successfully.",
                "CallbackMetadata": {
                    "Item": [
                        {"Name": "Amount", "Value": amount},
                        {"Name": "MpesaReceiptNumber", "Value": receipt},
                        {"Name": "TransactionDate", "Value": 20261204102115},
                        {"Name": "PhoneNumber", "Value": 254700000000},
                    ]
                },
            }
        }
    }
    return json.dumps(body).encode()


class RawHttp:
    """One keep-alive HTTP/1.1 connection sending POSTs one after another."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> RawHttp:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        return self

    async def post(self, path: str, body: bytes) -> int:
        assert self.reader and self.writer
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        self.writer.write(head + body)
        response = await self.reader.readuntil(b"\r\n\r\n")
        status = int(response.split(b" ", 2)[1])
        length = 0
        for line in response.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await self.reader.readexactly(length)
        return status

    async def close(self) -> None:
        if self.writer:
            self.writer.close()
            with contextlib.suppress(Exception):
                await self.writer.wait_closed()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]
