"""Deliver callbacks: one asyncio queue, a few workers sharing pooled keep-alive connections.

Plain `http://` URLs use `http1.Http1Pool` (fast); `https://` URLs use one pooled httpx client.

Daraja does not retry a failed delivery (§10.2), so neither do we; every attempt is recorded in the
activity log. Tests can make the next callbacks drop, arrive twice, arrive late or arrive in reverse
order, to prove their handlers are idempotent and reconcile.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import Any

import httpx

from daraja_sim.activity import Activity
from daraja_sim.clock import Clock, Timers, daraja_timestamp
from daraja_sim.errors import DeliveryError
from daraja_sim.http1 import Http1Pool

log = logging.getLogger("daraja_sim")

MODES = ("normal", "drop", "duplicate", "delay", "reorder")


@dataclass(slots=True)
class CallbackMode:
    """How the next `count` callbacks (None: all, until reset) are mangled."""

    mode: str = "normal"
    count: int | None = None
    seconds: float = 0.0


@dataclass(slots=True)
class Outgoing:
    """One callback waiting to be POSTed."""

    kind: str
    url: str
    body: dict[str, Any]
    fault: str = ""


class CallbackQueue:
    """Queue callbacks and POST them from `workers` tasks sharing one connection pool."""

    def __init__(self, activity: Activity, clock: Clock, *, workers: int, timeout: float) -> None:
        self._activity = activity
        self._clock = clock
        self._workers = workers
        self._timeout = timeout
        self._queue: asyncio.Queue[Outgoing] | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._timers = Timers()
        self._held: list[Outgoing] = []
        self._ordered: set[asyncio.Task[None]] = set()
        self._client: httpx.AsyncClient | None = None  # only for https:// URLs
        self._http1 = Http1Pool(timeout=timeout)
        self.mode = CallbackMode()

    def _start(self) -> asyncio.Queue[Outgoing]:
        # Started lazily in the server's own loop, so the app also works without lifespan events.
        if self._queue is None:
            self._queue = asyncio.Queue()
            self._tasks = [asyncio.create_task(self._work()) for _ in range(self._workers)]
        return self._queue

    async def post(self, url: str, body: bytes) -> tuple[int, bytes]:
        """POST a JSON body to `url` now; return (status, answer). Raises `DeliveryError`."""
        if url.startswith("http://"):
            return await self._http1.post(url, body)
        if self._client is None:
            limits = httpx.Limits(max_connections=64, max_keepalive_connections=self._workers)
            self._client = httpx.AsyncClient(timeout=self._timeout, limits=limits, trust_env=False)
        try:
            response = await self._client.post(
                url, content=body, headers={"content-type": "application/json"}
            )
        except httpx.HTTPError as exc:
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
        return response.status_code, response.content

    def set_mode(self, mode: str, count: int | None, seconds: float) -> None:
        """Mangle the next `count` callbacks as `mode` (see MODES); releases any held ones."""
        if mode not in MODES:
            raise ValueError(f"unknown callback mode {mode!r}; use one of {list(MODES)}")
        self._release_held()
        self.mode = CallbackMode(mode, count, seconds)

    def send(self, kind: str, url: str, body: dict[str, Any], delay: float = 0.0) -> None:
        """Queue `body` for `url` after `delay` seconds, applying the current fault mode."""
        item = Outgoing(kind, url, body)
        mode = self._consume_mode()
        if mode.mode == "drop":
            item.fault = "drop"
            self._record(item, None, "dropped by control API", queued_at=self._now())
            return
        if mode.mode == "duplicate":
            item.fault = "duplicate"
            self._later(Outgoing(kind, url, body, "duplicate"), delay)
        elif mode.mode == "delay":
            item.fault = "delay"
            delay += mode.seconds
        elif mode.mode == "reorder":
            item.fault = "reorder"
            self._held.append(item)
            if mode.count is None or mode.count > 0:
                return  # keep holding until the last one of the batch arrives
            self._release_held()
            return
        self._later(item, delay)

    def _consume_mode(self) -> CallbackMode:
        mode = self.mode
        if mode.mode == "normal":
            return mode
        if mode.count is not None:
            mode.count -= 1
            if mode.count <= 0:
                self.mode = CallbackMode()
                return CallbackMode(mode.mode, 0, mode.seconds)
        return mode

    def _release_held(self) -> None:
        held, self._held = self._held, []
        if not held:
            return
        # One task delivers the batch backwards, each after the previous one was answered, so the
        # order survives concurrent workers.
        self._start()
        task = asyncio.get_running_loop().create_task(self._deliver_in_order(held[::-1]))
        self._ordered.add(task)
        task.add_done_callback(self._ordered.discard)

    async def _deliver_in_order(self, items: list[Outgoing]) -> None:
        for item in items:
            await self._deliver(item)

    def _later(self, item: Outgoing, delay: float) -> None:
        queue = self._start()
        if delay <= 0:
            queue.put_nowait(item)
            return
        self._timers.call_later(delay, queue.put_nowait, item)

    async def _work(self) -> None:
        assert self._queue is not None
        while True:
            await self._deliver(await self._queue.get())

    async def _deliver(self, item: Outgoing) -> None:
        queued_at = self._now()
        try:
            status, _ = await self.post(item.url, json.dumps(item.body).encode())
            self._record(item, status, None, queued_at)
        except DeliveryError as exc:
            self._record(item, None, str(exc), queued_at)
        except Exception as exc:  # a bug of ours must not silently kill a worker
            log.error("callback delivery failed unexpectedly", exc_info=exc)
            self._record(item, None, f"{type(exc).__name__}: {exc}", queued_at)

    def _record(
        self, item: Outgoing, status: int | None, error: str | None, queued_at: str
    ) -> None:
        self._activity.record_sent(
            {
                "kind": item.kind,
                "url": item.url,
                "body": item.body,
                "status": status,
                "error": error,
                "fault": item.fault or None,
                "at": queued_at,
            }
        )

    def _now(self) -> str:
        return daraja_timestamp(self._clock())

    async def aclose(self) -> None:
        """Stop the workers and close the connection pool (pending callbacks are abandoned)."""
        self._timers.cancel_all()
        tasks = [*self._tasks, *self._ordered]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._client is not None:
            await self._client.aclose()
        await self._http1.aclose()
        self._queue, self._client, self._tasks = None, None, []
