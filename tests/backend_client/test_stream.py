"""The event stream against a real (fake-feed) SSE server: resume, dedupe, heartbeats, state."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Callable

import pytest

from backend_client import (
    AuthExpired,
    ConnectionState,
    DukaClient,
    Event,
    MemoryTokenStore,
    StreamOptions,
)
from tests.support.client_fixtures import TOKEN, FeedState, FreezableProxy, feed_app
from tests.support.servers import ServerThread, free_port, serve

FAST = StreamOptions(
    heartbeat_timeout=2.0, backoff_initial=0.02, backoff_max=0.1, offline_after=0.3
)


def make_client(url: str, **kwargs: object) -> DukaClient:
    options = {"stream": FAST, "rng": random.Random(7), **kwargs}
    return DukaClient(url, token_store=MemoryTokenStore(TOKEN), **options)  # type: ignore[arg-type]


async def take(stream: AsyncIterator[Event], count: int, within: float = 20.0) -> list[Event]:
    async def collect() -> list[Event]:
        return [await anext(stream) for _ in range(count)]

    return await asyncio.wait_for(collect(), within)


async def eventually(predicate: Callable[[], bool], within: float = 10.0) -> None:
    for _ in range(int(within / 0.02)):
        if predicate():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not reached")


async def test_events_arrive_typed_and_in_order(feed: tuple[FeedState, ServerThread]) -> None:
    state, server = feed
    state.add(3)
    states: list[ConnectionState] = []
    async with make_client(server.url, on_state=states.append) as client:
        assert client.connection_state is ConnectionState.OFFLINE
        stream = client.events()
        events = await take(stream, 3)
        assert client.connection_state is ConnectionState.CONNECTED
        assert [e.id for e in events] == [1, 2, 3]
        assert events[0].type == "payment.paid"
        assert events[2].data["payment"]["amount"] == 30
        assert client.last_event_id == 3
        await stream.aclose()
    assert states == [
        ConnectionState.RECONNECTING,
        ConnectionState.CONNECTED,
        ConnectionState.OFFLINE,
    ]


async def test_reconnects_and_resumes_after_each_drop(feed: tuple[FeedState, ServerThread]) -> None:
    state, server = feed
    state.close_after = 3  # the server hangs up after every third event
    state.add(10)
    async with make_client(server.url) as client:
        stream = client.events()
        events = await take(stream, 10)
        assert [e.id for e in events] == list(range(1, 11))
        state.add(2)
        events = await take(stream, 2)
        assert [e.id for e in events] == [11, 12]
        await stream.aclose()
    assert state.last_event_ids[:4] == [None, "3", "6", "9"]


async def test_events_replayed_by_the_server_are_not_delivered_twice(
    feed: tuple[FeedState, ServerThread],
) -> None:
    state, server = feed
    state.close_after, state.replay = 2, 2  # each reconnect resends two already-seen events
    state.add(7)
    async with make_client(server.url) as client:
        stream = client.events()
        events = await take(stream, 7)
        await stream.aclose()
    assert [e.id for e in events] == list(range(1, 8))


async def test_resumes_from_a_given_last_event_id(feed: tuple[FeedState, ServerThread]) -> None:
    state, server = feed
    state.add(5)
    async with make_client(server.url) as client:
        stream = client.events(last_event_id=3)
        events = await take(stream, 2)
        await stream.aclose()
    assert [e.id for e in events] == [4, 5]
    assert state.last_event_ids[0] == "3"


async def test_silent_connection_without_fin_is_detected_by_heartbeat_timeout(
    feed: tuple[FeedState, ServerThread], proxy: FreezableProxy
) -> None:
    state, _server = feed
    state.add(2)
    states: list[ConnectionState] = []
    async with make_client(proxy.url, on_state=states.append) as client:
        stream = client.events()
        assert [e.id for e in await take(stream, 2)] == [1, 2]
        proxy.freeze()  # the NAT stops forwarding: no data, no FIN, socket still open
        state.add(2)
        events = await take(stream, 2)
        await stream.aclose()
    assert [e.id for e in events] == [3, 4]
    assert proxy.connections == 2
    assert state.last_event_ids[-1] == "2"
    assert states[:4] == [
        ConnectionState.RECONNECTING,
        ConnectionState.CONNECTED,
        ConnectionState.RECONNECTING,
        ConnectionState.CONNECTED,
    ]


async def test_a_fresh_stream_cut_before_its_opening_frame_misses_nothing(
    feed: tuple[FeedState, ServerThread], proxy: FreezableProxy
) -> None:
    """Headers arrive, the opening frame never does: not CONNECTED, and the reconnect resumes
    from the cursor the headers named, so events committed meanwhile still arrive, once."""
    state, _server = feed
    state.fresh_from_head = True
    state.add(2)  # history from before the stream began: not for this client
    proxy.freeze_after_headers()
    states: list[ConnectionState] = []
    async with make_client(proxy.url, on_state=states.append) as client:
        stream = client.events()
        pending = asyncio.ensure_future(anext(stream))
        await proxy.passed_on(b"\r\n\r\n")
        state.add(3)  # committed while the first connection hangs before its opening frame
        events = [await asyncio.wait_for(pending, 20), *await take(stream, 2)]
        await stream.aclose()
    assert [e.id for e in events] == [3, 4, 5]
    assert state.last_event_ids == [None, "2"]
    assert proxy.connections == 2
    assert states == [
        ConnectionState.RECONNECTING,
        ConnectionState.CONNECTED,
        ConnectionState.OFFLINE,
    ]


async def test_heartbeats_keep_an_idle_connection_open(
    feed: tuple[FeedState, ServerThread],
) -> None:
    state, server = feed
    state.heartbeat = 0.1
    options = StreamOptions(heartbeat_timeout=1.0, backoff_initial=0.02, backoff_max=0.1)
    async with make_client(server.url, stream=options) as client:
        stream = client.events()
        task = asyncio.ensure_future(anext(stream))
        await asyncio.sleep(2.5)  # 2.5 heartbeat timeouts of idle while heartbeats flow
        state.add(1)
        event = await asyncio.wait_for(task, 10)
        await stream.aclose()
    assert event.id == 1
    assert len(state.last_event_ids) == 1  # never reconnected


async def test_goes_offline_then_recovers_when_the_server_returns() -> None:
    port = free_port()
    state = FeedState()
    states: list[ConnectionState] = []
    async with make_client(f"http://127.0.0.1:{port}", on_state=states.append) as client:
        stream = client.events()
        task = asyncio.ensure_future(anext(stream))
        await eventually(lambda: ConnectionState.OFFLINE in states)
        assert not task.done()
        state.add(1)
        with serve(feed_app(state), port=port):
            event = await asyncio.wait_for(task, 10)
            assert client.connection_state is ConnectionState.CONNECTED
            state.closing = True
            await stream.aclose()
    assert event.id == 1
    assert states[:3] == [
        ConnectionState.RECONNECTING,
        ConnectionState.OFFLINE,
        ConnectionState.CONNECTED,
    ]


async def test_server_errors_are_retried_until_it_recovers(
    feed: tuple[FeedState, ServerThread],
) -> None:
    state, server = feed
    state.status = 503
    state.add(1)
    async with make_client(server.url) as client:
        stream = client.events()
        task = asyncio.ensure_future(anext(stream))
        await eventually(lambda: len(state.last_event_ids) >= 3)
        state.status = 200
        event = await asyncio.wait_for(task, 10)
        await stream.aclose()
    assert event.id == 1


async def test_rejected_token_ends_the_stream_and_is_forgotten(
    feed: tuple[FeedState, ServerThread],
) -> None:
    _state, server = feed
    store = MemoryTokenStore("revoked")
    async with DukaClient(server.url, token_store=store, stream=FAST) as client:
        with pytest.raises(AuthExpired) as caught:
            await anext(client.events())
        assert client.connection_state is ConnectionState.OFFLINE
    assert caught.value.user_message == "Please sign in again."
    assert await store.load() is None


async def test_stream_without_a_token_asks_to_sign_in(feed: tuple[FeedState, ServerThread]) -> None:
    _state, server = feed
    async with DukaClient(server.url, stream=FAST) as client:
        with pytest.raises(AuthExpired, match="sign in"):
            await anext(client.events())
