"""Shared set-up for tests against the real backend (subprocess) and the Daraja simulator."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import httpx

from backend_client import ConnectionState, DukaClient, Event, MemoryTokenStore, StreamOptions
from tests.support.servers import ServerThread

PAYS = "0700 000 000"  # the simulator's customer who pays at once
STK_PATH = "/mpesa/stkpush/v1/processrequest"
# Backends for these client tests query Daraja only long after any callback a loaded box can
# delay, so a payment is paid by its callback (with its receipt) and each payment's events are
# exactly created + paid. Reconciliation itself is tested in tests/backend.
CALLBACKS_FIRST: dict[str, object] = {"reconcile_after_seconds": [10.0, 20.0]}
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


async def connected(
    client: DukaClient, stream: AsyncIterator[Event], within: float = 30.0
) -> asyncio.Future[Event]:
    """Start pulling from `stream`; return its first event (pending) once the backend holds it.

    The backend subscribes a stream before it sends the response headers, and the client turns
    CONNECTED on the opening frame after them: from then on every new event reaches this
    stream. A fixed sleep instead lets a loaded box record the next payment before the
    subscription exists.
    """
    up = asyncio.Event()

    def on_state(state: ConnectionState) -> None:
        if state is ConnectionState.CONNECTED:
            up.set()

    unsubscribe = client.on_connection_state(on_state)
    first = asyncio.ensure_future(anext(stream))
    waiting = asyncio.ensure_future(up.wait())
    try:
        await asyncio.wait({first, waiting}, timeout=within, return_when=asyncio.FIRST_COMPLETED)
    finally:
        unsubscribe()
        waiting.cancel()
    if first.done() and not up.is_set():
        first.result()  # the stream ended before connecting (say, AuthExpired): raise that
    if not up.is_set():
        first.cancel()
        raise AssertionError(f"the event stream did not connect in {within} s")
    return first


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
