"""PostgreSQL: two backend instances share one database; a callback taken by one reaches the
SSE subscribers of the other (LISTEN/NOTIFY), and nothing is counted twice."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from tests.backend.helpers import pay, read_events, wait_status
from tests.backend.test_callbacks import stk_body
from tests.support.backend_fixtures import CALLBACK_SECRET, PAYS, PG_URL

pytestmark = pytest.mark.postgres


async def test_two_instances_share_events_and_totals(pg_schema: str, backend_factory: Any) -> None:
    first = await backend_factory(database_url=PG_URL, database_schema=pg_schema)
    second = await backend_factory(database_url=PG_URL, database_schema=pg_schema)
    assert first.runtime.hub.listening and second.runtime.hub.listening
    _, token = await first.cashier("amina", "1234")
    on_second = second.client(token)
    ready = asyncio.Event()
    reader = asyncio.create_task(read_events(on_second, 2, ready=ready))
    await ready.wait()
    # The payment is requested on the first instance; Daraja calls the first one back.
    created = (await pay(first.client(token), 120, PAYS)).json()
    events = await reader
    assert [e["kind"] for e in events] == ["payment.created", "payment.paid"]
    assert {e["payment"]["id"] for e in events} == {created["id"]}
    # The same callback delivered to both instances at once is still counted once.
    payment = await wait_status(on_second, created["id"], "paid")
    checkout = await first.checkout_id(payment["id"])
    body = stk_body(checkout, amount=120, phone=254700000000)
    async with httpx.AsyncClient(trust_env=False) as raw:
        await asyncio.gather(
            *(
                raw.post(f"{b.url}/callbacks/{CALLBACK_SECRET}/stk", json=body)
                for b in (first, second, first, second)
            )
        )
    takings = (await second.client(second.owner_token).get("/v1/takings")).json()
    assert (takings["total"], takings["count"]) == (120, 1)


async def test_concurrent_requests_with_one_key_prompt_once(
    pg_schema: str, backend_factory: Any
) -> None:
    first = await backend_factory(database_url=PG_URL, database_schema=pg_schema)
    second = await backend_factory(database_url=PG_URL, database_schema=pg_schema)
    answers = await asyncio.gather(
        *(
            pay(b.client(b.owner_token), 90, PAYS, key="one-key")
            for b in (first, second, first, second)
        )
    )
    assert len({a.json()["id"] for a in answers}) == 1
    await wait_status(first.client(first.owner_token), answers[0].json()["id"], "paid")
    takings = (await first.client(first.owner_token).get("/v1/takings")).json()
    assert (takings["total"], takings["count"]) == (90, 1)
