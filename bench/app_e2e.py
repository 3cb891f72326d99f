"""Benchmark: simulator sends the STK callback → the cashier's browser shows Paid (median of 20).

Everything real on loopback: the Daraja simulator, the backend (SQLite), `python -m app --web`
and Debian's headless chromium. A small relay sits between the simulator and the backend's callback
URL and stamps the moment each callback leaves the simulator (it forwards it unchanged); in the
page, a requestAnimationFrame watcher stamps the first frame whose semantics tree says "Paid".
Both stamps read the same system clock. Prints one JSON object; never fails on time.

Usage: .venv/bin/python bench/app_e2e.py [--payments 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend import create_app, upgrade_database  # noqa: E402 - after sys.path
from daraja_sim import SimConfig  # noqa: E402
from daraja_sim import create_app as create_sim  # noqa: E402
from tests.app.browser_support import AppPage, app_server, chromium  # noqa: E402
from tests.support.backend_fixtures import (  # noqa: E402
    OWNER,
    OWNER_PASSWORD,
    PAYS,
    fast_settings,
    make_owner,
)
from tests.support.servers import ServerThread, free_port  # noqa: E402

WATCH_PAID = """() => {
  window.__paidAt = null;
  const check = () => {
    const node = document.querySelector('[flt-semantics-identifier="payment-status"]');
    if (node && node.textContent.trim() === 'Paid') { window.__paidAt = Date.now(); return; }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}"""


class CallbackRelay:
    """An ASGI app that stamps each callback's arrival, then forwards it to the backend."""

    def __init__(self) -> None:
        self.target = ""
        self.stamps: list[float] = []
        self._client = httpx.AsyncClient(trust_env=False, timeout=10)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        if "/stk" in scope["path"]:
            self.stamps.append(time.time())
        answer = await self._client.request(
            scope["method"],
            self.target + scope["path"],
            content=body,
            headers={"content-type": "application/json"},
        )
        await send(
            {
                "type": "http.response.start",
                "status": answer.status_code,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": answer.content})


async def create_cashier(url: str) -> None:
    async with httpx.AsyncClient(base_url=url, trust_env=False) as http:
        session = await http.post("/v1/session", json={"username": OWNER, "secret": OWNER_PASSWORD})
        token = session.json()["token"]
        made = await http.post(
            "/v1/cashiers",
            json={"username": "bench", "pin": "2580"},
            headers={"Authorization": f"Bearer {token}"},
        )
        made.raise_for_status()


async def measure(payments: int) -> dict[str, Any]:
    sim = ServerThread(create_sim(SimConfig(seed=3, callback_delay_seconds=0.05))).start()
    relay = CallbackRelay()
    relay_server = ServerThread(relay).start()
    with tempfile.TemporaryDirectory() as tmp:
        database = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        upgrade_database(database)
        port = free_port()
        relay.target = f"http://127.0.0.1:{port}"
        # Daraja calls the relay; the relay calls the backend.
        settings = fast_settings(database, sim.url, relay_server.url, argon2_time_cost=1)
        await make_owner(settings)
        backend = ServerThread(create_app(settings), port=port).start()
        latencies: list[float] = []
        try:
            await create_cashier(backend.url)
            with app_server(backend.url) as server:
                url = server.url
                async with chromium() as browser:
                    app = await AppPage.open(browser, url)
                    await app.sign_in("bench", "2580", home="charge-amount")
                    for index in range(payments + 1):  # the first one warms up and is dropped
                        if index:
                            await app.click("payment-new-sale", expect="charge-amount")
                        await app.fill("charge-amount", "100")
                        await app.fill("charge-phone", PAYS)
                        await app.page.evaluate(WATCH_PAID)
                        before = len(relay.stamps)
                        await app.click("charge-submit", expect="payment-status")
                        await app.page.wait_for_function("window.__paidAt", timeout=30_000)
                        shown = await app.page.evaluate("window.__paidAt") / 1000
                        sent = relay.stamps[before] if len(relay.stamps) > before else None
                        if index and sent is not None:
                            latencies.append((shown - sent) * 1000)
                    await app.close()
        finally:
            backend.stop()
            relay_server.stop()
            sim.stop()
    latencies.sort()
    return {
        "benchmark": "app_e2e",
        "measures": "simulator sends STK callback -> browser shows Paid",
        "payments": len(latencies),
        "median_ms": round(statistics.median(latencies), 1),
        "p90_ms": round(latencies[int(0.9 * (len(latencies) - 1))], 1),
        "min_ms": round(latencies[0], 1),
        "max_ms": round(latencies[-1], 1),
        "machine": f"{platform.machine()} {platform.python_version()}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=20)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(measure(args.payments)), indent=2))


if __name__ == "__main__":
    main()
