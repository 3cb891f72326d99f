"""Fixtures for the client's tests: a fake feed, a proxy, and the real backend + simulator.

The backend runs as a subprocess, shared by the session; `test_resilience.py` overrides it with
its own, which it kills and restarts.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from backend_client import DukaClient
from daraja_sim import SimConfig, create_app
from tests.backend_client.e2e import CALLBACKS_FIRST, client_for
from tests.support.backend_fixtures import OWNER, OWNER_PASSWORD, BackendSubprocess
from tests.support.client_fixtures import FeedState, FreezableProxy, backend_on_copy, feed_app
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


@pytest.fixture(scope="session")
def sim() -> Iterator[ServerThread]:
    with serve(create_app(SimConfig(seed=11, callback_delay_seconds=0))) as server:
        yield server


@pytest.fixture(scope="session")
def backend(
    sim: ServerThread, backend_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BackendSubprocess]:
    """The backend as a subprocess (`python -m backend serve`), shared by the session."""
    workdir = Path(tmp_path_factory.mktemp("backend"))
    process = backend_on_copy(
        backend_template, workdir, sim.url, dynamic_qr=True, **CALLBACKS_FIRST
    ).start()
    yield process
    process.stop()


@pytest.fixture
async def owner(backend: BackendSubprocess) -> AsyncIterator[DukaClient]:
    async with client_for(backend.url) as client:
        await client.sign_in(OWNER, OWNER_PASSWORD)
        yield client
