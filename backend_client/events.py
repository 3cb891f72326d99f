"""The live feed: a self-healing Server-Sent Events stream of typed events.

Shops sit on flaky mobile data, so the stream reconnects by itself with jittered backoff, resumes
with `Last-Event-ID` so nothing is missed, drops any event it has already delivered so nothing is
seen twice, and treats a connection that stays silent past a few heartbeats as dead (a NAT or
proxy that stops forwarding sends no FIN, so without this the app would wait forever).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import json
import logging
import random
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from backend_client._backoff import Backoff
from backend_client._http import HttpCore
from backend_client._sse import RawEvent, SSEParser
from backend_client._wire import WireError
from backend_client.errors import NetworkError, RateLimited, ServerError
from backend_client.models import PaymentPublic

__all__ = ["ConnectionState", "Event", "StreamOptions"]

log = logging.getLogger("backend_client.events")


class ConnectionState(enum.StrEnum):
    """What the app shows about the live feed."""

    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    OFFLINE = "offline"


@dataclass(frozen=True, slots=True)
class StreamOptions:
    """Timings of the event stream; tests shrink them, the defaults suit mobile data.

    `heartbeat_timeout` should be a few of the backend's heartbeat intervals (15 s by default):
    no byte for that long means the connection is dead even though no FIN arrived. Reconnects
    wait `backoff_initial` doubling to `backoff_max`, each jittered (the server's `retry:` hint is
    not used: a fixed delay would bring every phone back in the same instant). The state turns
    OFFLINE after `offline_after` seconds without a connection.
    """

    heartbeat_timeout: float = 45.0
    backoff_initial: float = 0.5
    backoff_max: float = 15.0
    offline_after: float = 10.0
    path: str = "/v1/events"


@dataclass(frozen=True, slots=True)
class Event:
    """One event from the backend's feed.

    `id` increases monotonically (the backend persists it), `type` is e.g. `payment.paid`, and
    `data` is the decoded JSON body. `payment` is the typed payment when the event carries one.
    """

    id: int | None
    type: str
    data: Any
    payment: PaymentPublic | None = field(default=None, compare=False)


class HeartbeatMissed(Exception):
    """No byte arrived within `heartbeat_timeout`: the connection is silently dead."""


def _start_cursor(response: Any) -> tuple[str | None, int | None]:
    """Where the backend began a fresh stream (its `X-Event-Cursor` header), if it says.

    The opening frame carries the same id, but a connection can die between the headers and
    that frame; with the header a fresh client still resumes from where it began, not from "now".
    """
    value = response.headers.get("x-event-cursor", "").strip()
    return (value, int(value)) if value.isdigit() else (None, None)


def _event_id(raw: RawEvent) -> int | None:
    if raw.id is None:
        return None
    try:
        return int(raw.id)
    except ValueError:
        return None


class StateTracker:
    """Holds the connection state and tells listeners when it changes."""

    def __init__(self) -> None:
        self.state = ConnectionState.OFFLINE
        self._listeners: list[Callable[[ConnectionState], None]] = []

    def subscribe(self, listener: Callable[[ConnectionState], None]) -> Callable[[], None]:
        """Call `listener(state)` on every change; returns a function that unsubscribes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def set(self, state: ConnectionState) -> None:
        if state is self.state:
            return
        self.state = state
        for listener in list(self._listeners):
            try:
                listener(state)
            except Exception:  # a broken UI callback must not kill the feed
                log.exception("connection-state listener failed")


async def _read(response: Any, heartbeat_timeout: float) -> AsyncIterator[RawEvent]:
    """Yield events from an open response; raise `HeartbeatMissed` when it goes silent.

    The timeout covers only the wait for the next bytes (one timer per network read, not per
    line), never the consumer's time between events.
    """
    parser = SSEParser()
    chunks = response.aiter_text()
    try:
        while True:
            try:
                async with asyncio.timeout(heartbeat_timeout):
                    chunk = await anext(chunks, None)
            except TimeoutError:
                raise HeartbeatMissed() from None
            if chunk is None:
                return
            for raw in parser.feed_text(chunk):
                yield raw
    finally:
        await chunks.aclose()


async def follow(
    http: HttpCore,
    *,
    last_event_id: int | str | None,
    options: StreamOptions,
    state: StateTracker,
    rng: random.Random | None = None,
) -> AsyncGenerator[Event, None]:
    """Yield every event after `last_event_id` exactly once, reconnecting for as long as iterated.

    A fresh stream (no `last_event_id`) starts where the backend's first answer says it began,
    so a drop before its opening frame loses nothing either. Retries only what a reconnect can
    cure (network loss, silence, 5xx, 429); `AuthExpired`, `Forbidden` and other refusals end
    the iteration with that error.
    """
    loop = asyncio.get_running_loop()
    last_id = str(last_event_id) if last_event_id is not None else None
    last_number = int(last_id) if last_id is not None and last_id.isdigit() else None
    backoff = Backoff(options.backoff_initial, options.backoff_max, rng)
    failing_since: float | None = None
    state.set(ConnectionState.RECONNECTING)
    try:
        while True:
            headers = {"Accept": "text/event-stream", "Cache-Control": "no-cache"}
            if last_id is not None:
                headers["Last-Event-ID"] = last_id
            try:
                async with http.stream(options.path, headers=headers) as response:
                    if last_id is None:
                        last_id, last_number = _start_cursor(response)
                    opened = False
                    async for raw in _read(response, options.heartbeat_timeout):
                        if not opened:
                            # CONNECTED on the opening frame, not the headers: only then is
                            # the stream known to flow (and a fresh one to have its cursor).
                            opened = True
                            state.set(ConnectionState.CONNECTED)
                            failing_since = None
                        # Only a stream that delivered something earns a fresh backoff, so a
                        # server that accepts and hangs up at once is not hammered.
                        backoff.reset()
                        number = _event_id(raw)
                        if number is not None and last_number is not None and number <= last_number:
                            continue  # already delivered before a reconnect: never twice
                        if raw.id is not None:
                            last_id, last_number = raw.id, number
                        if raw.event in ("heartbeat", "ping") or not raw.data:
                            continue
                        yield decode_event(raw)
                log.info("event stream ended by the server; reconnecting")
            except (NetworkError, ServerError, RateLimited, HeartbeatMissed) as exc:
                log.info("event stream lost (%s); reconnecting", type(exc).__name__)
            now = loop.time()
            failing_since = failing_since if failing_since is not None else now
            offline = now - failing_since >= options.offline_after
            state.set(ConnectionState.OFFLINE if offline else ConnectionState.RECONNECTING)
            await asyncio.sleep(backoff.next_delay())
    finally:
        state.set(ConnectionState.OFFLINE)


def decode_event(raw: RawEvent) -> Event:
    """Decode an event's JSON data; attach the typed payment when the data holds one.

    An event this app version cannot type (a newer backend's) still arrives, untyped.
    """
    try:
        data = json.loads(raw.data)
    except json.JSONDecodeError:
        data = raw.data
    payment = None
    if isinstance(data, dict) and isinstance(data.get("payment"), dict):
        with contextlib.suppress(WireError):
            payment = PaymentPublic.from_json(data["payment"])
    return Event(id=_event_id(raw), type=raw.event, data=data, payment=payment)
