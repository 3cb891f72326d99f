"""Benchmark the client's live feed; prints one JSON object.

Figures:
- `client_events_per_s`: events one `DukaClient.events()` consumer decodes per second (typed
  payment included) from a loopback server replaying pre-encoded frames, so the client is the
  only thing measured.
- `backlog_events_per_s`: the same through the real backend replaying its event log.
- `ready_to_caught_up_s`: the backend is SIGKILLed, `--missed` events are written to its
  database meanwhile, it restarts on the same port; seconds from the restarted backend answering
  `/healthz` until the client has every missed event (each exactly once, checked).
- `restart_to_caught_up_s`: the same from the moment the new process was launched;
  `reconnected_to_caught_up_s` from the client's stream being connected again (no backoff wait).
Stream options here: backoff 0.2 s doubling to at most 1 s (the app's default caps at 15 s).

Never fails on time. Usage: .venv/bin/python bench/stream.py [--events 50000] [--missed 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from starlette.applications import Starlette  # noqa: E402
from starlette.requests import Request  # noqa: E402
from starlette.responses import StreamingResponse  # noqa: E402
from starlette.routing import Route  # noqa: E402

from backend import upgrade_database  # noqa: E402
from backend_client import (  # noqa: E402
    ConnectionState,
    DukaClient,
    MemoryTokenStore,
    StreamOptions,
)
from daraja_sim import SimConfig, create_app  # noqa: E402 - after sys.path
from tests.support.backend_fixtures import (  # noqa: E402
    OWNER,
    OWNER_PASSWORD,
    fast_settings,
    make_owner,
)
from tests.support.client_fixtures import backend_on_copy, payment_json, write_events  # noqa: E402
from tests.support.servers import serve  # noqa: E402

OPTIONS = StreamOptions(heartbeat_timeout=10.0, backoff_initial=0.2, backoff_max=1.0)


def replay_app(count: int) -> Starlette:
    """Serves `count` pre-encoded payment.paid frames, then ends the stream."""
    frames = b"".join(
        f"id: {i}\nevent: payment.paid\ndata: "
        f"{json.dumps({'id': i, 'kind': 'payment.paid', 'payment': payment_json(i)})}\n\n".encode()
        for i in range(1, count + 1)
    )

    async def events(_: Request) -> StreamingResponse:
        async def body() -> Any:
            for start in range(0, len(frames), 65536):
                yield frames[start : start + 65536]
            await asyncio.sleep(3600)

        return StreamingResponse(body(), media_type="text/event-stream")

    return Starlette(routes=[Route("/v1/events", events)])


async def client_rate(count: int) -> float:
    with serve(replay_app(count)) as server:
        store = MemoryTokenStore("bench")
        async with DukaClient(server.url, token_store=store, stream=OPTIONS) as client:
            stream = client.events()
            first = await anext(stream)
            started = time.perf_counter()
            received = 1
            async for event in stream:
                received += 1
                assert event.payment is not None
                if received == count:
                    break
            elapsed = time.perf_counter() - started
            await stream.aclose()
    assert first.id == 1
    return (count - 1) / elapsed


async def restart_catch_up(missed: int, workdir: Path, sim_url: str) -> dict[str, float]:
    template = workdir / "template.db"
    template_url = f"sqlite+aiosqlite:///{template}"
    await asyncio.to_thread(upgrade_database, template_url)
    await make_owner(fast_settings(template_url, sim_url, "http://127.0.0.1:9"))
    backend = await asyncio.to_thread(backend_on_copy(template, workdir, sim_url).start)
    try:
        reconnected: list[float] = []

        def note(state: ConnectionState) -> None:
            if state is ConnectionState.CONNECTED:
                reconnected.append(time.perf_counter())

        async with DukaClient(backend.url, stream=OPTIONS, on_state=note) as client:
            await client.sign_in(OWNER, OWNER_PASSWORD)
            stream = client.events()
            await write_events(backend.env["DUKA_DATABASE_URL"], 1)
            warm = await anext(stream)
            backend.kill()
            pending = asyncio.ensure_future(anext(stream))
            await write_events(backend.env["DUKA_DATABASE_URL"], missed)
            launched = time.perf_counter()
            await asyncio.to_thread(backend.start)
            ready = time.perf_counter()
            ids = [(await pending).id]
            first_at = time.perf_counter()
            while len(ids) < missed:
                ids.append((await anext(stream)).id)
            done = time.perf_counter()
            await stream.aclose()
        assert warm.id is not None
        assert ids == list(range(warm.id + 1, warm.id + 1 + missed)), "gap or duplicate"
        return {
            "restart_to_caught_up_s": round(done - launched, 3),
            "ready_to_caught_up_s": round(done - ready, 3),
            "reconnected_to_caught_up_s": round(done - reconnected[-1], 3),
            "backlog_events_per_s": round((missed - 1) / (done - first_at)),
        }
    finally:
        backend.stop()


async def main(events: int, missed: int) -> dict[str, Any]:
    rate = await client_rate(events)
    with (
        serve(create_app(SimConfig(seed=5, callback_delay_seconds=0))) as sim,
        tempfile.TemporaryDirectory() as tmp,
    ):
        restart = await restart_catch_up(missed, Path(tmp), sim.url)
    return {
        "bench": "stream",
        "client_events": events,
        "client_events_per_s": round(rate),
        "missed_events": missed,
        **restart,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--missed", type=int, default=10_000)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main(args.events, args.missed)), indent=2))
