"""The blocking facade runs the one async client on its own loop thread."""

from __future__ import annotations

import random
import threading

import pytest

from backend_client import (
    AuthExpired,
    ConnectionState,
    InsecureURL,
    MemoryTokenStore,
    StreamOptions,
    SyncDukaClient,
)
from tests.support.client_fixtures import TOKEN, FeedState
from tests.support.servers import ServerThread

FAST = StreamOptions(heartbeat_timeout=2.0, backoff_initial=0.02, backoff_max=0.1)


def test_sync_events_resume_across_drops(feed: tuple[FeedState, ServerThread]) -> None:
    state, server = feed
    state.close_after = 2
    state.add(5)
    with SyncDukaClient(
        server.url, token_store=MemoryTokenStore(TOKEN), stream=FAST, rng=random.Random(3)
    ) as client:
        stream = client.events()
        ids = [next(stream).id for _ in range(5)]
        assert client.connection_state is ConnectionState.CONNECTED
        stream.close()
        assert client.connection_state is ConnectionState.OFFLINE
    assert ids == [1, 2, 3, 4, 5]


def test_sync_errors_are_the_same_errors(feed: tuple[FeedState, ServerThread]) -> None:
    _state, server = feed
    threads_before = threading.active_count()
    client = SyncDukaClient(server.url, token_store=MemoryTokenStore("revoked"), stream=FAST)
    with pytest.raises(AuthExpired):
        next(client.events())
    client.close()
    client.close()  # idempotent
    assert threading.active_count() == threads_before


def test_sync_refuses_insecure_urls_without_leaking_a_thread() -> None:
    threads_before = threading.active_count()
    with pytest.raises(InsecureURL):
        SyncDukaClient("http://duka.example.com")
    assert threading.active_count() == threads_before
