"""Shared set-up for tests against the real backend (subprocess) and the Daraja simulator."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import httpx

from backend_client import DukaClient, Event, MemoryTokenStore, StreamOptions
from tests.support.servers import ServerThread

PAYS = "0700 000 000"  # the simulator's customer who pays at once
STK_PATH = "/mpesa/stkpush/v1/processrequest"
FAST = StreamOptions(
    heartbeat_timeout=2.0, backoff_initial=0.05, backoff_max=0.3, offline_after=1.0
)


def client_for(url: str, **kwargs: object) -> DukaClient:
    options: dict[str, object] = {"token_store": MemoryTokenStore(), "stream": FAST, **kwargs}
    return DukaClient(url, **options)  # type: ignore[arg-type]


def stk_pushes(sim: ServerThread) -> int:
    """How many STK Push requests reached the simulator so far."""
    response = httpx.get(f"{sim.url}/__sim__/received", params={"path": STK_PATH}, timeout=10)
    return len(response.json())


async def take_until(
    stream: AsyncIterator[Event], done: Callable[[list[Event]], bool], within: float = 30.0
) -> list[Event]:
    """Collect events until `done(events)` holds."""
    events: list[Event] = []

    async def collect() -> None:
        while not done(events):
            events.append(await anext(stream))

    await asyncio.wait_for(collect(), within)
    return events
