"""The live feed: a durable event log plus one in-process hub that fans new events out.

Writers call `record_event` inside the transaction that changes a payment, so an event exists if
and only if the change does. Event ids must become visible in id order, or a subscriber resuming
with `Last-Event-ID` could skip one that committed late: SQLite already has a single writer; on
PostgreSQL the insert takes a transaction-level advisory lock (held to commit, which is right
after) and `pg_notify` wakes every instance's hub. Each hub reads new rows once per wake-up (or
once a second as a safety net) and hands the same encoded frame to every subscriber.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.clock import Clock
from backend.core.db import Database
from backend.models import Event

log = logging.getLogger(__name__)

CHANNEL = "duka_events"
EVENT_LOCK = 0x44554B41  # "DUKA": serialises event inserts on PostgreSQL
OWNER_ONLY, ONE_CASHIER, EVERYONE = "owner", "cashier", "all"
DRAIN_PAGE = 1000
BACKLOG_PAGE = 500  # events read per query when a resuming stream catches up from the log


@dataclass(frozen=True)
class FeedEvent:
    """One event as stored, with its SSE frame encoded once for all subscribers."""

    id: int
    kind: str
    audience: str
    cashier_id: int | None
    data: dict[str, Any]
    frame: bytes

    @classmethod
    def from_row(cls, row: Event) -> FeedEvent:
        payload = {"id": row.id, "kind": row.kind, "at": row.created_at.isoformat(), **row.data}
        body = json.dumps(payload, separators=(",", ":"))
        frame = f"id: {row.id}\nevent: {row.kind}\ndata: {body}\n\n".encode()
        return cls(row.id, row.kind, row.audience, row.cashier_id, payload, frame)

    def visible_to(self, user_id: int, is_owner: bool) -> bool:
        """Owners see everything; a cashier sees till payments and their own requests."""
        if is_owner:
            return True
        if self.audience == EVERYONE:
            return True
        return self.audience == ONE_CASHIER and self.cashier_id == user_id


async def record_events(session: AsyncSession, clock: Clock, events: list[dict[str, Any]]) -> None:
    """Append events (dicts of kind, audience, cashier_id, payment_id, data) in the caller's
    transaction, in order; call it last, just before commit."""
    postgres = session.bind.dialect.name == "postgresql"
    if postgres:
        await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": EVENT_LOCK})
    now = clock.now()
    await session.execute(insert(Event), [{**event, "created_at": now} for event in events])
    if postgres:
        await session.execute(text("SELECT pg_notify(:c, '')"), {"c": CHANNEL})


async def record_event(
    session: AsyncSession,
    clock: Clock,
    *,
    kind: str,
    audience: str,
    data: dict[str, Any],
    cashier_id: int | None = None,
    payment_id: int | None = None,
) -> None:
    """Append one event in the caller's transaction; call it last, just before commit."""
    event = {"kind": kind, "audience": audience, "cashier_id": cashier_id}
    await record_events(session, clock, [{**event, "payment_id": payment_id, "data": data}])


class Subscription:
    """One open stream's mailbox: events (and `None`, "send a heartbeat") waiting to be sent.

    Lighter than an `asyncio.Queue` on purpose: fan-out to 1,000 streams is one `push` each
    (a list append, and waking the stream only if it is idle), and a stream takes everything
    waiting in one go, so a burst of events leaves in one socket write instead of one each.
    """

    __slots__ = ("_items", "_waiter", "closed", "is_owner", "user_id")

    def __init__(self, user_id: int, is_owner: bool) -> None:
        self.user_id = user_id
        self.is_owner = is_owner
        self.closed = False
        self._items: list[FeedEvent | None] = []
        self._waiter: asyncio.Future[None] | None = None

    def push(self, item: FeedEvent | None) -> None:
        """Queue an event (or a heartbeat) without waiting; wakes the stream if it sleeps."""
        self._items.append(item)
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def take(self) -> list[FeedEvent | None]:
        """Everything waiting, oldest first; sleeps until there is something (or it closes)."""
        while not self._items and not self.closed:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        items, self._items = self._items, []
        return items

    def close(self) -> None:
        """The client left: wake the stream so it can end."""
        self.closed = True
        self.push(None)


class EventHub:
    """Reads new events from the log and fans them out to this instance's subscribers."""

    def __init__(
        self,
        db: Database,
        *,
        buffer_size: int = 5000,
        poll_seconds: float = 1.0,
        heartbeat_seconds: float = 15.0,
    ):
        self._db = db
        self._poll = poll_seconds
        self._heartbeat = heartbeat_seconds
        self._beat_task: asyncio.Task[None] | None = None
        self._buffer: deque[FeedEvent] = deque(maxlen=buffer_size)
        # Indexed by who may see what, so fan-out visits only the streams an event is for.
        self._owners: set[Subscription] = set()
        self._cashiers: dict[int, set[Subscription]] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._listener: Any = None
        self.cursor = 0
        self.backlog_page = BACKLOG_PAGE
        self.listeners: list[Callable[[FeedEvent], None]] = []

    async def start(self) -> None:
        async with self._db.read() as session:
            self.cursor = int(await session.scalar(select(func.max(Event.id))) or 0)
        if self._db.engine.dialect.name == "postgresql":
            await self._listen()
        self._task = asyncio.create_task(self._run(), name="event-hub")
        # One timer beats for every stream: a per-stream `wait_for` would cost a task and a timer
        # per event per subscriber, which is what dominates fan-out to 1,000 streams.
        self._beat_task = asyncio.create_task(self._beat(), name="event-heartbeat")

    async def stop(self) -> None:
        for task in (self._task, self._beat_task):
            if task:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if self._listener is not None:
            with contextlib.suppress(Exception):
                await self._listener.close()

    def poke(self) -> None:
        """Say new events may be in the log (called after a commit in this process)."""
        self._wake.set()

    def subscribe(self, user_id: int, is_owner: bool) -> Subscription:
        sub = Subscription(user_id, is_owner)
        if is_owner:
            self._owners.add(sub)
        else:
            self._cashiers.setdefault(user_id, set()).add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        if sub.is_owner:
            self._owners.discard(sub)
            return
        mine = self._cashiers.get(sub.user_id)
        if mine is not None:
            mine.discard(sub)
            if not mine:
                del self._cashiers[sub.user_id]

    @property
    def subscribers(self) -> int:
        return len(self._owners) + sum(len(subs) for subs in self._cashiers.values())

    def _all(self) -> list[Subscription]:
        everyone = list(self._owners)
        for subs in self._cashiers.values():
            everyone += subs
        return everyone

    def _audience_of(self, event: FeedEvent) -> list[Subscription]:
        """The streams that may see `event` (same rule as `FeedEvent.visible_to`)."""
        if event.audience == EVERYONE:
            return self._all()
        if event.audience == ONE_CASHIER and event.cashier_id is not None:
            return [*self._owners, *self._cashiers.get(event.cashier_id, ())]
        return list(self._owners)

    @property
    def listening(self) -> bool:
        """True when PostgreSQL LISTEN/NOTIFY wakes this hub (else it polls once a second)."""
        return self._listener is not None

    async def backlog(
        self, after_id: int, user_id: int, is_owner: bool
    ) -> AsyncIterator[FeedEvent]:
        """Yield events after `after_id` that this user may see, oldest first, page by page.

        From memory when the buffer reaches back far enough, else from the log, one page per
        short read (no transaction stays open while a slow phone drains a page), to the log's
        end: stopping earlier would skip events older than the subscription, which its queue
        never carries. Only a page is held at a time, however far behind the client is.
        """
        if self._buffer and self._buffer[0].id <= after_id + 1:
            for event in [e for e in self._buffer if e.id > after_id]:  # a copy: drains append
                if event.visible_to(user_id, is_owner):
                    yield event
            return
        while True:
            async with self._db.read() as session:
                rows = list(
                    await session.scalars(
                        select(Event)
                        .where(Event.id > after_id)
                        .order_by(Event.id)
                        .limit(self.backlog_page)
                    )
                )
            for row in rows:
                event = FeedEvent.from_row(row)
                if event.visible_to(user_id, is_owner):
                    yield event
            if len(rows) < self.backlog_page:
                return
            after_id = rows[-1].id

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self._heartbeat)
            for sub in self._all():
                sub.push(None)

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._poll)
            self._wake.clear()
            try:
                await self._drain()
            except Exception:  # keep the feed alive through a database hiccup
                log.exception("event hub could not read new events")
                await asyncio.sleep(self._poll)

    async def _drain(self) -> None:
        while True:
            async with self._db.read() as session:
                rows = list(
                    await session.scalars(
                        select(Event)
                        .where(Event.id > self.cursor)
                        .order_by(Event.id)
                        .limit(DRAIN_PAGE)
                    )
                )
            if not rows:
                return
            for row in rows:
                event = FeedEvent.from_row(row)
                self.cursor = event.id
                self._buffer.append(event)
                for sub in self._audience_of(event):
                    sub.push(event)
                for listener in self.listeners:
                    listener(event)
            if len(rows) < DRAIN_PAGE:
                return  # that was everything; a later commit pokes us again

    async def _listen(self) -> None:
        import asyncpg  # noqa: PLC0415 - only PostgreSQL deployments need it

        url = make_url(self._db.url).set(drivername="postgresql")
        try:
            self._listener = await asyncpg.connect(url.render_as_string(hide_password=False))
            await self._listener.add_listener(CHANNEL, lambda *_: self._wake.set())
        except (OSError, asyncpg.PostgresError):
            log.warning("LISTEN failed; the feed falls back to polling once a second")
            self._listener = None
