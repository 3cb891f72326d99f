"""`python -m daraja_sim` starts a server and prints where its pages are."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx

from tests.support.servers import free_port


def test_cli_prints_urls_and_serves() -> None:
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "daraja_sim", "--port", str(port), "--consumer-key", "abc"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = [process.stdout.readline() for _ in range(4)]  # type: ignore[union-attr]
        text = "".join(lines)
        assert f"http://127.0.0.1:{port}/phone" in text
        assert f"http://127.0.0.1:{port}/__sim__/" in text
        deadline = time.monotonic() + 15
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/phone/254708374149", timeout=5)
                break
            except httpx.TransportError:  # not listening yet, or too busy starting to answer
                assert time.monotonic() < deadline, "simulator did not start"
                time.sleep(0.05)
        assert response.status_code == 200
        token = httpx.get(
            f"http://127.0.0.1:{port}/oauth/v1/generate?grant_type=client_credentials",
            auth=("abc", "duka-sim-secret"),
        )
        assert token.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()  # type: ignore[union-attr]
