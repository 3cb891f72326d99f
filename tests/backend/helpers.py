"""Small waits and SSE reading shared by the backend tests (poll, never sleep long)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

STK_PATH = "/mpesa/stkpush/v1/processrequest"


async def pay(
    http: httpx.AsyncClient, amount: int, phone: str, key: str | None = None, **extra: Any
) -> httpx.Response:
    return await http.post(
        "/v1/payments",
        json={"amount": amount, "phone": phone, **extra},
        headers={"Idempotency-Key": key or uuid.uuid4().hex},
    )


async def wait_until(
    read: Callable[[], Awaitable[dict[str, Any]]],
    statuses: tuple[str, ...],
    within: float,
    what: str,
) -> dict[str, Any]:
    """Call `read` until what it returns has one of `statuses`; fail with the last one seen."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    body: dict[str, Any] = {}
    while loop.time() < deadline:
        body = await read()
        if body.get("status") in statuses:
            return body
        await asyncio.sleep(0.05)
    raise AssertionError(f"{what} stuck at {body}")


async def wait_status(
    http: httpx.AsyncClient, payment_id: int, *statuses: str, within: float = 15.0
) -> dict[str, Any]:
    """Poll a payment until it reaches one of `statuses`; fail with its last state otherwise."""

    async def read() -> dict[str, Any]:
        body: dict[str, Any] = (await http.get(f"/v1/payments/{payment_id}")).json()
        return body

    return await wait_until(read, statuses, within, f"payment {payment_id}")


async def read_events(
    http: httpx.AsyncClient,
    count: int,
    *,
    last_event_id: int | None = None,
    within: float = 15.0,
    ready: asyncio.Event | None = None,
    until: Callable[[dict[str, Any]], bool] | None = None,
) -> list[dict[str, Any]]:
    """Open /v1/events and return the next `count` events' data (with their ids).

    With `until`, stop early at the first event it accepts (`count` is then the most read).
    """
    headers = {"Last-Event-ID": str(last_event_id)} if last_event_id is not None else {}
    found: list[dict[str, Any]] = []

    async def consume() -> None:
        async with http.stream("GET", "/v1/events", headers=headers, timeout=None) as answer:
            assert answer.status_code == 200, await answer.aread()
            if ready:
                ready.set()
            event_id = None
            async for line in answer.aiter_lines():
                if line.startswith("id: "):
                    event_id = int(line[4:])
                elif line.startswith("data: "):
                    data = json.loads(line[6:])
                    assert data["id"] == event_id
                    found.append(data)
                    if len(found) >= count or (until is not None and until(data)):
                        return

    await asyncio.wait_for(consume(), within)
    return found
