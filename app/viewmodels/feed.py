"""The live feed: every confirmed payment as it streams in, newest first, with a connection badge.

`run()` is the background task (the shell starts it with `page.run_task` and cancels it when the
session closes). `backend_client` resumes with Last-Event-ID after a drop and never delivers an
event twice, so nothing is missed; this view-model additionally ignores a payment it already
shows, so a payment seen both live and in the initial load is listed once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.formatting import format_ksh, format_time
from app.phone import mask_msisdn
from app.viewmodels._fields import channel_of, field, status_of
from app.viewmodels.errors import describe, is_auth_expired
from app.viewmodels.observable import Observable

__all__ = ["FeedItem", "FeedViewModel"]

_KEEP = 200  # a day's screenful; older ones are in Transactions


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One confirmed payment as the feed lists it."""

    payment_id: Any
    channel: str  # "stk" | "till"
    amount: int
    receipt: str
    phone: str  # masked
    paid_at: datetime | None

    @property
    def amount_text(self) -> str:
        return format_ksh(self.amount)

    @property
    def time_text(self) -> str:
        return format_time(self.paid_at) if self.paid_at else ""

    @classmethod
    def from_payment(cls, payment: Any) -> FeedItem:
        phone = str(field(payment, "phone", default=""))
        phone = mask_msisdn(phone) if phone else ""
        return cls(
            payment_id=field(payment, "id"),
            channel=channel_of(payment) or "stk",
            amount=int(field(payment, "amount", default=0)),
            receipt=str(field(payment, "receipt", default="")),
            phone=phone or str(field(payment, "payer_name", default="")),
            paid_at=field(payment, "paid_at", "updated_at"),
        )


class FeedViewModel(Observable):
    """Confirmations newest first, the stream's connection state, and hooks for other screens."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[FeedItem] = []
        self.connection = "offline"  # "connected" | "reconnecting" | "offline"
        self.error = ""
        self.payment_listeners: list[Callable[[Any], None]] = []
        self.on_paid: Callable[[FeedItem], None] | None = None  # sound / vibration
        self.on_session_ended: Callable[[], Any] | None = None
        # Called (as a task) when the stream comes back after a drop: the stream replays what was
        # missed, and this lets the sale on screen double-check its own status too.
        self.on_reconnected: Callable[[], Awaitable[None]] | None = None
        self._was_connected = False
        self._seen: set[Any] = set()
        self._tasks: set[asyncio.Future[None]] = set()

    def set_connection(self, state: Any) -> None:
        """Take the client's connection state (an enum or its string value)."""
        value = str(getattr(state, "value", state))
        if value == self.connection:
            return
        self.connection = value
        if value == "connected":
            if self._was_connected and self.on_reconnected is not None:
                task = asyncio.ensure_future(self.on_reconnected())
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
            self._was_connected = True
        self.changed()

    def apply_event(self, event: Any) -> None:
        """Fold one stream event in: payments go to listeners; paid ones join the feed."""
        payment = getattr(event, "payment", None)
        if payment is None:
            data = getattr(event, "data", None)
            if isinstance(data, dict) and str(getattr(event, "type", "")).startswith("payment"):
                payment = data.get("payment", data)
        if payment is None:
            return
        for listener in list(self.payment_listeners):
            listener(payment)
        if status_of(payment) == "paid":
            self.add_paid(payment)

    def add_paid(self, payment: Any, *, announce: bool = True) -> None:
        """List a paid payment once, newest first."""
        item = FeedItem.from_payment(payment)
        if item.payment_id in self._seen:
            return
        self._seen.add(item.payment_id)
        self.items.insert(0, item)
        del self.items[_KEEP:]
        if announce and self.on_paid is not None:
            self.on_paid(item)
        self.changed()

    def load_recent(self, payments: list[Any]) -> None:
        """Show today's already-paid payments before the stream starts (no sound for these)."""
        for payment in sorted(payments, key=lambda p: field(p, "paid_at", "updated_at") or 0):
            if status_of(payment) == "paid":
                self.add_paid(payment, announce=False)

    async def run(self, client: Any) -> None:
        """Follow the backend's event stream until cancelled (the session's background task)."""
        unsubscribe = client.on_connection_state(self.set_connection)
        try:
            async for event in client.events():
                self.set_connection(client.connection_state)
                self.apply_event(event)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the stream ends only on refusal: show why
            self.error = describe(exc)
            self.set_connection("offline")
            self.changed()
            if is_auth_expired(exc) and self.on_session_ended is not None:
                result = self.on_session_ended()
                if asyncio.iscoroutine(result):
                    await result
        finally:
            unsubscribe()
