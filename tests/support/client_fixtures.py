"""Test doubles at the wire for `backend_client`: a tiny SSE server and a freezable TCP proxy.

Neither is our code under test: the SSE server stands in for the backend's `/v1/events` so the
stream machinery (reconnect, resume, dedupe, heartbeats) can be driven precisely, and the proxy
plays a NAT that silently stops forwarding (no FIN), which no real server can be asked to do.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import shutil
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.support.backend_fixtures import BackendSubprocess

TOKEN = "good-token"


@dataclass
class FeedState:
    """What the fake feed holds and how it misbehaves; tests change it while it runs."""

    events: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)
    heartbeat: float = 0.2
    close_after: int | None = None  # end each connection after this many events
    replay: int = 0  # resend this many already-seen events on each connection
    status: int = 200  # answer /v1/events with this status instead
    fresh_from_head: bool = False  # a fresh client starts after the newest event, as the backend
    last_event_ids: list[str | None] = field(default_factory=list)
    closing: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, count: int = 1, kind: str = "payment.paid") -> list[int]:
        """Append events with the next ids; return those ids."""
        with self.lock:
            start = self.events[-1][0] + 1 if self.events else 1
            new = [
                (i, kind, {"payment": {"id": i, "amount": 10 * i}})
                for i in range(start, start + count)
            ]
            self.events.extend(new)
        return [i for i, _, _ in new]

    def after(self, last: int) -> list[tuple[int, str, dict[str, Any]]]:
        with self.lock:
            return [e for e in self.events if e[0] > last]


def frame(event_id: int, kind: str, data: dict[str, Any]) -> bytes:
    return f"id: {event_id}\nevent: {kind}\ndata: {json.dumps(data)}\n\n".encode()


def feed_app(state: FeedState) -> Starlette:
    """An ASGI app serving `state` as `/v1/events`, honouring `Last-Event-ID`."""

    async def events(request: Request) -> Response:
        header = request.headers.get("last-event-id")
        state.last_event_ids.append(header)
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return JSONResponse({"code": "auth", "detail": "Please sign in again."}, 401)
        if state.status != 200:
            return JSONResponse({"code": "down", "detail": "Down for a moment."}, state.status)
        if header:
            last = int(header)
        else:
            with state.lock:
                last = state.events[-1][0] if state.fresh_from_head and state.events else 0

        async def body() -> AsyncIterator[bytes]:
            nonlocal last
            sent = 0
            loop = asyncio.get_running_loop()
            beat_at = loop.time() + state.heartbeat
            yield f"retry: 2000\nid: {last}\n: connected\n\n".encode()  # as the backend opens
            if state.replay:
                for event in [e for e in state.events if e[0] <= last][-state.replay :]:
                    yield frame(*event)
            while not state.closing:
                for event in state.after(last):
                    yield frame(*event)
                    last, sent = event[0], sent + 1
                    if state.close_after is not None and sent >= state.close_after:
                        return
                if loop.time() >= beat_at:
                    yield b": ping\n\n"
                    beat_at = loop.time() + state.heartbeat
                await asyncio.sleep(0.005)

        cursor = {"X-Event-Cursor": str(last)}
        return StreamingResponse(body(), media_type="text/event-stream", headers=cursor)

    return Starlette(routes=[Route("/v1/events", events)])


class FreezableProxy:
    """A TCP proxy on loopback; `freeze()` stops forwarding on open connections without a FIN.

    Connections opened after a freeze flow normally, like a phone whose NAT mapping died and
    that then opens a fresh one.
    """

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = 0
        self.connections = 0
        self._open: list[asyncio.Event] = []  # one "frozen" flag per connection
        self._server: asyncio.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []
        self._tasks: set[asyncio.Task[Any]] = set()
        self._hold_next = 0
        self._cut_next = 0
        self.delivered = bytearray()  # everything passed on to clients, in arrival order
        self._more = asyncio.Event()

    async def start(self) -> FreezableProxy:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def hold_responses(self, connections: int = 1) -> None:
        """Forward requests but never answer on the next `connections` connections.

        The backend acts on the request; the client sees only a read timeout — the case where
        a resend must not charge the customer twice.
        """
        self._hold_next = connections

    def freeze_after_headers(self, responses: int = 1) -> None:
        """Pass on the headers of the next `responses` responses, then freeze their connection.

        The client holds a 200 but never the body's first byte: a stream cut off before its
        opening frame. Counts responses, not connections, so a pooled connection counts too.
        """
        self._cut_next = responses

    async def passed_on(self, marker: bytes, within: float = 30.0) -> None:
        """Wait until bytes holding `marker` were passed on to a client.

        Bytes passed on before a `freeze()` still reach the client (they are in its socket), so
        this tells a test that, say, a stream's opening frame cannot be lost to the freeze.
        """

        async def seen() -> None:
            while marker not in self.delivered:
                self._more.clear()
                await self._more.wait()

        await asyncio.wait_for(seen(), within)

    def freeze(self) -> None:
        """Stop forwarding on every connection open now; keep their sockets open."""
        for frozen in self._open:
            frozen.set()

    async def _handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        self.connections += 1
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        frozen = asyncio.Event()
        self._open.append(frozen)
        held = asyncio.Event()
        if self._hold_next > 0:
            self._hold_next -= 1
            held.set()
        try:
            server_r, server_w = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            client_w.close()
            return
        self._writers += [client_w, server_w]
        # Swallow our own cancellation at close(): asyncio logs a cancelled handler as an error.
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(
                self._pump(client_r, server_w, frozen),
                self._pump(server_r, client_w, held if held.is_set() else frozen, record=True),
                return_exceptions=True,
            )

    async def _pump(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        frozen: asyncio.Event,
        *,
        record: bool = False,
    ) -> None:
        head = b""  # while a cut is armed: what came so far, to find the end of the headers
        while data := await reader.read(65536):
            if frozen.is_set():
                await asyncio.Event().wait()  # hold the bytes forever: no data, no FIN
            if record and self._cut_next > 0:
                head += data
                end = head.find(b"\r\n\r\n")
                if end >= 0:
                    self._cut_next -= 1
                    data = data[: len(data) - (len(head) - end - 4)]
                    frozen.set()  # the rest of this chunk and all after it never arrive
            writer.write(data)
            await writer.drain()
            if record:
                self.delivered += data
                self._more.set()
        writer.close()

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for writer in self._writers:
            writer.close()
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await self._server.wait_closed()


def backend_on_copy(
    template: Path, workdir: Path, sim_url: str, **settings: Any
) -> BackendSubprocess:
    """A backend subprocess (not started) on a fresh copy of the migrated template database."""
    database = workdir / "duka.db"
    shutil.copy(template, database)
    return BackendSubprocess(workdir, database, sim_url, **settings)


def payment_json(number: int) -> dict[str, Any]:
    """A paid payment as the backend's `PaymentPublic` JSON (for synthetic events)."""
    now = dt.datetime.now(dt.UTC).isoformat()
    return {
        "id": number,
        "channel": "stk",
        "status": "paid",
        "amount": 100 + number % 900,
        "phone": "2547••••678",
        "reference": "",
        "payer_name": "",
        "receipt": f"TST{number:07d}",
        "result_code": 0,
        "reason": "",
        "cashier_id": 2,
        "flagged": False,
        "flag_reason": "",
        "created_at": now,
        "updated_at": now,
        "paid_at": now,
    }


async def write_events(database_url: str, count: int) -> None:
    """Append `count` payment.paid events straight into the backend's log, as another backend
    instance sharing the database would (visible to everyone)."""
    from backend.core.clock import SystemClock  # noqa: PLC0415 - only these helpers need it
    from backend.core.db import Database  # noqa: PLC0415
    from backend.services.events import EVERYONE, record_event  # noqa: PLC0415

    db = Database(database_url)
    clock = SystemClock()
    try:
        for start in range(0, count, 1000):
            async with db.write() as session:
                for number in range(start, min(count, start + 1000)):
                    data = {"via": "bench", "payment": payment_json(number + 1)}
                    await record_event(
                        session, clock, kind="payment.paid", audience=EVERYONE, data=data
                    )
    finally:
        await db.dispose()
