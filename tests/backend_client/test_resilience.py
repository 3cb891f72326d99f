"""The live feed survives what mobile data and servers do: crashes, restarts, silent drops."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from backend_client import ConnectionState, DukaClient, Event, StreamOptions
from tests.backend_client.e2e import CALLBACKS_FIRST, PAYS, client_for, connected, take_until
from tests.support.backend_fixtures import OWNER, OWNER_PASSWORD, BackendSubprocess
from tests.support.client_fixtures import FreezableProxy, backend_on_copy, write_events
from tests.support.servers import ServerThread


@pytest.fixture(scope="module")
def backend(
    sim: ServerThread, backend_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BackendSubprocess]:
    """This module's own backend: its tests SIGKILL and restart it."""
    workdir = Path(tmp_path_factory.mktemp("restartable"))
    process = backend_on_copy(backend_template, workdir, sim.url, **CALLBACKS_FIRST).start()
    yield process
    process.stop()


async def wait_paid(client: DukaClient, payment_ids: list[int], within: float = 30.0) -> None:
    for _ in range(int(within / 0.05)):
        states = {(await client.payment(pid)).status for pid in payment_ids}
        if states == {"paid"}:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"payments {payment_ids} not paid in {within} s")


async def charge(client: DukaClient, *amounts: int) -> list[int]:
    return [(await client.request_payment(amount=a, phone=PAYS)).id for a in amounts]


def pairs(events: list[Event]) -> list[tuple[str, int]]:
    return [(e.type, e.payment.id) for e in events if e.payment is not None]


async def test_kill_and_restart_delivers_every_missed_event_once_in_order(
    owner: DukaClient, backend: BackendSubprocess, sim: ServerThread
) -> None:
    stream = owner.events()
    first = await connected(owner, stream)
    before = await charge(owner, 11, 12)
    events = [await asyncio.wait_for(first, 30)]
    events += await take_until(stream, lambda got: len(got) == 3)

    backend.kill()  # SIGKILL mid-stream, while the app is waiting for the next event
    pending = asyncio.ensure_future(anext(stream))
    # While it is down, a second backend process on the same database records more payments.
    database = backend.workdir / "duka.db"
    stand_in = BackendSubprocess(backend.workdir, database, sim.url, **CALLBACKS_FIRST).start()
    try:
        async with client_for(stand_in.url) as other:
            await other.sign_in(OWNER, OWNER_PASSWORD)
            missed = await charge(other, 21, 22, 23)
            await wait_paid(other, missed)
    finally:
        stand_in.stop()
    assert owner.connection_state is not ConnectionState.CONNECTED
    assert not pending.done()
    backend.start()  # same port, same database

    events.append(await asyncio.wait_for(pending, 60))
    events += await take_until(stream, lambda got: len(got) == 5, within=60)
    after = await charge(owner, 31)
    events += await take_until(stream, lambda got: len(got) == 2)
    await stream.aclose()

    ids = [e.id for e in events]
    assert ids == list(range(ids[0], ids[0] + len(ids)))  # in order, no gap, no duplicate
    expected = [(kind, pid) for pid in [*before, *missed, *after] for kind in ("created", "paid")]
    assert sorted(pairs(events)) == sorted((f"payment.{k}", p) for k, p in expected)
    assert owner.last_event_id == ids[-1]


OPENING_FRAME = b": connected\n\n"  # the end of the backend's first frame (`id:` before it)


@dataclass
class Watcher:
    """An owner's live feed reaching the backend through a freezable proxy, already connected."""

    proxy: FreezableProxy
    stream: AsyncGenerator[Event, None]
    first: asyncio.Future[Event]


@pytest.fixture
async def watcher(backend: BackendSubprocess) -> AsyncIterator[Watcher]:
    proxy = await FreezableProxy(backend.port).start()
    options = StreamOptions(heartbeat_timeout=2.0, backoff_initial=0.05, backoff_max=0.3)
    try:
        async with client_for(proxy.url, stream=options) as client:
            await client.sign_in(OWNER, OWNER_PASSWORD)
            stream = client.events()
            first = await connected(client, stream)
            # Headers alone are not enough: a freeze before the opening frame (with the id to
            # resume from) got through would leave a fresh client nothing to resume with.
            await proxy.passed_on(OPENING_FRAME)
            yield Watcher(proxy, stream, first)
            first.cancel()
            await asyncio.gather(first, return_exceptions=True)
            await stream.aclose()
    finally:
        await proxy.close()


async def test_dead_connection_without_fin_is_replaced_and_nothing_is_missed(
    owner: DukaClient, watcher: Watcher
) -> None:
    seen = await charge(owner, 41)
    events = [await asyncio.wait_for(watcher.first, 30)]
    events += await take_until(watcher.stream, lambda got: len(got) == 1)
    watcher.proxy.freeze()  # the path dies silently: no data, no FIN
    pending = asyncio.ensure_future(anext(watcher.stream))
    missed = await charge(owner, 42)
    events.append(await asyncio.wait_for(pending, 30))
    events += await take_until(watcher.stream, lambda got: len(got) == 1)
    assert pairs(events) == [
        (f"payment.{kind}", pid) for pid in [*seen, *missed] for kind in ("created", "paid")
    ]
    assert watcher.proxy.connections == 2


async def test_a_fresh_stream_that_drops_before_any_event_misses_nothing(
    owner: DukaClient, watcher: Watcher
) -> None:
    """The opening frame's `id:` lets a client that never saw an event still resume."""
    watcher.proxy.freeze()
    paid = await charge(owner, 43)
    events = [await asyncio.wait_for(watcher.first, 30)]
    events += await take_until(watcher.stream, lambda got: len(got) == 1)
    assert pairs(events) == [("payment.created", paid[0]), ("payment.paid", paid[0])]


async def test_a_fresh_stream_cut_before_its_opening_frame_misses_nothing(
    owner: DukaClient, backend: BackendSubprocess
) -> None:
    """The backend's headers name the stream's cursor: a fresh client whose connection dies
    after them, before the opening frame, resumes from there and misses nothing."""
    proxy = await FreezableProxy(backend.port).start()
    options = StreamOptions(heartbeat_timeout=2.0, backoff_initial=0.05, backoff_max=0.3)
    try:
        async with client_for(proxy.url, stream=options) as client:
            await client.sign_in(OWNER, OWNER_PASSWORD)
            proxy.freeze_after_headers()  # the stream's response, on whichever connection
            stream = client.events()
            pending = asyncio.ensure_future(anext(stream))
            await proxy.passed_on(b"\r\n\r\n")  # headers through: the backend subscribed
            assert client.connection_state is not ConnectionState.CONNECTED
            paid = await charge(owner, 44)
            try:
                events = [await asyncio.wait_for(pending, 30)]
                events += await take_until(stream, lambda got: len(got) == 1)
            finally:
                await stream.aclose()
    finally:
        await proxy.close()
    assert pairs(events) == [("payment.created", paid[0]), ("payment.paid", paid[0])]


async def test_resuming_far_behind_receives_everything(
    owner: DukaClient, backend: BackendSubprocess
) -> None:
    """More missed events than one page of the backend's log still arrive, all of them."""
    async with client_for(backend.url) as watcher:
        await watcher.sign_in(OWNER, OWNER_PASSWORD)
        live = watcher.events()
        first = await connected(watcher, live)
        await write_events(backend.env["DUKA_DATABASE_URL"], 10_050)
        # Once a live subscriber has seen the last one, the backend has read them all.
        seen = [await asyncio.wait_for(first, 30)]
        seen += await take_until(live, lambda got: len(got) == 10_049)
        await live.aclose()
    start = seen[0].id - 1
    stream = owner.events(last_event_id=start)
    try:
        events = await take_until(stream, lambda got: len(got) == 10_050, within=60)
    finally:
        await stream.aclose()
    assert [e.id for e in events] == list(range(start + 1, start + 10_051))
