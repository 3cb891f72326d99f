"""The backend killed (SIGKILL) with payments in flight and started again: nothing lost."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import httpx

from tests.backend.helpers import pay, read_events, wait_status
from tests.support.backend_fixtures import (
    CANCELS,
    NO_CALLBACK,
    OWNER,
    OWNER_PASSWORD,
    PAYS,
    SLOW,
    BackendSubprocess,
)
from tests.support.servers import ServerThread


async def test_killed_backend_resumes_reconciliation(
    tmp_path: Path, backend_template: Path, sim_server: ServerThread
) -> None:
    database = tmp_path / "duka.db"
    shutil.copy(backend_template, database)
    proc = BackendSubprocess(tmp_path, database, sim_server.url)
    await asyncio.to_thread(proc.start)
    try:
        async with httpx.AsyncClient(base_url=proc.url, trust_env=False, timeout=10) as anon:
            login = await anon.post(
                "/v1/session", json={"username": OWNER, "secret": OWNER_PASSWORD}
            )
            token = login.json()["token"]
        http = httpx.AsyncClient(
            base_url=proc.url, headers={"Authorization": f"Bearer {token}"}, trust_env=False
        )
        plan = [(SLOW, 300), (NO_CALLBACK, 200), (PAYS, 50), (CANCELS, 70), (SLOW, 30)]
        ids = [(await pay(http, amount, phone)).json()["id"] for phone, amount in plan]
        proc.kill()  # slow callbacks (3 s) now hit a dead server and are lost
        await asyncio.sleep(3.5)
        await asyncio.to_thread(proc.start)
        finals = [await wait_status(http, i, "paid", "failed", within=30) for i in ids]
        assert [p["status"] for p in finals] == ["paid", "paid", "paid", "failed", "paid"]
        takings = (await http.get("/v1/takings")).json()
        assert (takings["total"], takings["count"]) == (580, 4)
        # The log has each payment's outcome exactly once, with strictly increasing ids.
        events = await read_events(http, 10, last_event_id=0, within=10)
        assert [e["id"] for e in events] == sorted({e["id"] for e in events})
        outcomes = [
            e["payment"]["id"] for e in events if e["kind"] in ("payment.paid", "payment.failed")
        ]
        assert sorted(outcomes) == sorted(ids)
        await http.aclose()
    finally:
        proc.stop()
