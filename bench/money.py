"""Owner money tools, end to end over loopback: how long each takes from the owner's tap.

    python bench/money.py [--rounds 20]

Simulator and backend run as uvicorn servers in threads of this process (the simulator answers
and calls back with no added delay), on a fresh SQLite file. Each figure is the median (and p90)
of `rounds` runs, from the first HTTP request to the outcome being visible through the API:
- refund (reversal): POST /refund → GET shows "refunded" (Reversal + its Result applied)
- payout (B2C): POST /confirm → GET shows "paid"
- verify from our ledger, verify through Transaction Status (a code paid to another business)
- balance: a fresh Account Balance round trip, and a cached answer
Prints one JSON object; never fails on time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend import create_app, upgrade_database  # noqa: E402
from daraja_sim import INITIATOR, SimConfig, SimController  # noqa: E402
from daraja_sim import create_app as create_sim  # noqa: E402
from tests.support.backend_fixtures import (  # noqa: E402
    OWNER,
    OWNER_PASSWORD,
    PAYS,
    fast_settings,
    make_owner,
)
from tests.support.servers import ServerThread, free_port  # noqa: E402


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 1),
        "p90_ms": round(p90 * 1000, 1),
    }


async def until(check: Callable[[], Awaitable[bool]], within: float = 30.0) -> None:
    deadline = time.perf_counter() + within
    while not await check():
        if time.perf_counter() > deadline:
            raise RuntimeError("the backend did not reach the expected state in time")
        await asyncio.sleep(0.002)


async def paid_sale(http: httpx.AsyncClient, amount: int) -> dict[str, Any]:
    created = await http.post(
        "/v1/payments",
        json={"amount": amount, "phone": PAYS},
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    payment_id = created.json()["id"]

    async def paid() -> bool:
        return (await http.get(f"/v1/payments/{payment_id}")).json()["status"] == "paid"

    await until(paid)
    return (await http.get(f"/v1/payments/{payment_id}")).json()


async def measure(url: str, sim: SimController, rounds: int) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=url, trust_env=False, timeout=30) as anon:
        token = (
            await anon.post("/v1/session", json={"username": OWNER, "secret": OWNER_PASSWORD})
        ).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(
        base_url=url, headers=headers, trust_env=False, timeout=30
    ) as http:
        refunds: list[float] = []
        for index in range(rounds):
            sale = await paid_sale(http, 100 + index)
            started = time.perf_counter()
            await http.post(
                f"/v1/payments/{sale['id']}/refund",
                json={},
                headers={"Idempotency-Key": uuid.uuid4().hex},
            )

            async def refunded(payment_id: int = sale["id"]) -> bool:
                items = (await http.get(f"/v1/payments/{payment_id}/refunds")).json()["items"]
                return bool(items) and items[-1]["status"] == "refunded"

            await until(refunded)
            refunds.append(time.perf_counter() - started)

        payouts: list[float] = []
        for index in range(rounds):
            draft = (
                await http.post(
                    "/v1/payouts",
                    json={"kind": "b2c", "phone": "0711222333", "amount": 10 + index},
                    headers={"Idempotency-Key": uuid.uuid4().hex},
                )
            ).json()
            started = time.perf_counter()
            await http.post(f"/v1/payouts/{draft['id']}/confirm")

            async def paid(payout_id: int = draft["id"]) -> bool:
                return (await http.get(f"/v1/payouts/{payout_id}")).json()["status"] == "paid"

            await until(paid)
            payouts.append(time.perf_counter() - started)

        ours = (await paid_sale(http, 50))["receipt"]
        elsewhere = (await sim.pay("600000", "254722000111", 70))["TransID"]
        verify_ledger: list[float] = []
        verify_mpesa: list[float] = []
        for _ in range(rounds):
            for code, bucket in ((ours, verify_ledger), (elsewhere, verify_mpesa)):
                started = time.perf_counter()
                answer = (await http.get(f"/v1/verify/{code}")).json()
                bucket.append(time.perf_counter() - started)
                assert answer["verdict"] in ("genuine", "other_business"), answer

        started = time.perf_counter()
        assert (await http.get("/v1/balance")).status_code == 200
        fresh = time.perf_counter() - started
        cached: list[float] = []
        for _ in range(rounds):
            started = time.perf_counter()
            await http.get("/v1/balance")
            cached.append(time.perf_counter() - started)
    return {
        "refund_reversal_to_refunded": summary(refunds),
        "payout_b2c_confirm_to_paid": summary(payouts),
        "verify_from_ledger": summary(verify_ledger),
        "verify_via_transaction_status": summary(verify_mpesa),
        "balance_fresh_ms": round(fresh * 1000, 1),
        "balance_cached": summary(cached),
    }


async def main(rounds: int) -> dict[str, Any]:
    sim_server = ServerThread(create_sim(SimConfig(seed=3, callback_delay_seconds=0.0))).start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            cert = Path(tmp) / "sim-cert.pem"
            sim = SimController(sim_server.url)
            cert.write_bytes(await sim.cert_pem())
            database = f"sqlite+aiosqlite:///{tmp}/duka.db"
            port = free_port()
            settings = fast_settings(
                database,
                sim_server.url,
                f"http://127.0.0.1:{port}",
                initiator_name=INITIATOR,
                initiator_password="Safaricom999!*!",  # noqa: S106 - the sandbox test value
                certificate_path=cert,
                money_check_after_seconds=60.0,
            )
            await asyncio.to_thread(upgrade_database, database)
            await make_owner(settings)
            backend = await asyncio.to_thread(ServerThread(create_app(settings), port=port).start)
            try:
                figures = await measure(backend.url, sim, rounds)
            finally:
                await asyncio.to_thread(backend.stop)
    finally:
        sim_server.stop()
    return {"benchmark": "money", "rounds": rounds, **figures}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main(args.rounds)), indent=2))
