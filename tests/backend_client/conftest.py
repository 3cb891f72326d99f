"""Fixtures for the client's own tests: a fake feed on a real loopback server, and a proxy."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from tests.support.client_fixtures import FeedState, FreezableProxy, feed_app
from tests.support.servers import ServerThread, serve


@pytest.fixture
def feed() -> Iterator[tuple[FeedState, ServerThread]]:
    """A running fake `/v1/events` server and the state that drives it."""
    state = FeedState()
    with serve(feed_app(state)) as server:
        yield state, server
        state.closing = True


@pytest.fixture
async def proxy(feed: tuple[FeedState, ServerThread]) -> AsyncIterator[FreezableProxy]:
    """A freezable TCP proxy in front of the fake feed."""
    running = await FreezableProxy(feed[1].port).start()
    yield running
    await running.close()
