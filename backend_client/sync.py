"""`SyncDukaClient`: the async client for scripts and threads that cannot await.

It owns a private event loop on a daemon thread and hands every call to the one async
implementation there — no second copy of any request body that could drift.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, Self, TypeVar

from backend_client import models
from backend_client.client import DukaClient
from backend_client.events import ConnectionState, Event

__all__ = ["SyncDukaClient"]

T = TypeVar("T")


async def _next(stream: AsyncIterator[T]) -> T:
    return await anext(stream)


async def _close(stream: Any) -> None:
    await stream.aclose()


class SyncDukaClient:
    """Blocking twin of `DukaClient`; takes the same keyword arguments. Close it when done."""

    def __init__(self, base_url: str, **options: Any) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="duka-client-loop", daemon=True
        )
        self._thread.start()
        try:
            self.client = self._run(self._build(base_url, options))
        except BaseException:
            self._stop_loop()
            raise

    @staticmethod
    async def _build(base_url: str, options: dict[str, Any]) -> DukaClient:
        return DukaClient(base_url, **options)  # built on the loop that will use it

    def run(self, coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        """Run any `DukaClient` call to completion, e.g. `sync.run(sync.client.balance())`.

        The methods below cover the everyday routes; this reaches the rest without a second
        copy of each.
        """
        return self._run(coro, timeout)

    def _run(self, coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result(timeout)
        except FutureTimeout:
            future.cancel()
            raise

    def _stop_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        if not self._thread.is_alive():
            self._loop.close()

    def close(self) -> None:
        """Close the client and stop its loop thread; safe to call twice."""
        if self._loop.is_closed():
            return
        self._run(self.client.aclose())
        self._stop_loop()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def connection_state(self) -> ConnectionState:
        return self.client.connection_state

    def on_connection_state(
        self, listener: Callable[[ConnectionState], None]
    ) -> Callable[[], None]:
        """As `DukaClient.on_connection_state`; the listener runs on the client's loop thread."""
        return self.client.on_connection_state(listener)

    def sign_in(self, username: str, secret: str) -> models.SessionPublic:
        return self._run(self.client.sign_in(username, secret))

    def sign_out(self) -> None:
        self._run(self.client.sign_out())

    def request_payment(
        self,
        *,
        amount: int,
        phone: str,
        reference: str | None = None,
        idempotency_key: str | None = None,
    ) -> models.PaymentPublic:
        return self._run(
            self.client.request_payment(
                amount=amount, phone=phone, reference=reference, idempotency_key=idempotency_key
            )
        )

    def payment(self, payment_id: int) -> models.PaymentPublic:
        return self._run(self.client.payment(payment_id))

    def payments(
        self,
        *,
        date: dt.date | None = None,
        status: str | None = None,
        q: str | None = None,
        limit: int | None = None,
    ) -> models.PaymentList:
        return self._run(self.client.payments(date=date, status=status, q=q, limit=limit))

    def events(self, last_event_id: int | None = None) -> Iterator[Event]:
        """Blocking iterator over `DukaClient.events`; closing it closes the stream."""
        stream: AsyncIterator[Event] = self.client.events(last_event_id)
        try:
            while True:
                try:
                    yield self._run(_next(stream))
                except StopAsyncIteration:
                    return
        finally:
            if not self._loop.is_closed():
                self._run(_close(stream))

    def takings(self, date: dt.date | None = None) -> models.TakingsDay:
        return self._run(self.client.takings(date))

    def takings_csv(self, start: dt.date, end: dt.date) -> str:
        return self._run(self.client.takings_csv(start, end))

    def flags(self, *, include_reviewed: bool = False) -> models.FlagList:
        return self._run(self.client.flags(include_reviewed=include_reviewed))

    def resolve_flag(self, flag_id: str, note: str = "") -> models.FlagPublic:
        return self._run(self.client.resolve_flag(flag_id, note))

    def cashiers(self) -> list[models.CashierPublic]:
        return self._run(self.client.cashiers())

    def add_cashier(self, username: str, pin: str) -> models.CashierPublic:
        return self._run(self.client.add_cashier(username, pin))

    def update_cashier(
        self, cashier_id: int, *, pin: str | None = None, disabled: bool | None = None
    ) -> models.CashierPublic:
        return self._run(self.client.update_cashier(cashier_id, pin=pin, disabled=disabled))

    def till(self) -> models.TillPublic:
        return self._run(self.client.till())

    def till_qr_png(self, amount: int | None = None) -> bytes:
        return self._run(self.client.till_qr_png(amount))

    def health(self) -> models.Health:
        return self._run(self.client.health())

    def ready(self) -> models.Readiness:
        return self._run(self.client.ready())

    # The owner's money tools (`backend_client/money.py`); verify_receipt is for cashiers too.

    def refund_payment(
        self, payment_id: int, *, amount: int | None = None, idempotency_key: str
    ) -> models.RefundPublic:
        return self._run(
            self.client.refund_payment(payment_id, amount=amount, idempotency_key=idempotency_key)
        )

    def payment_refunds(self, payment_id: int) -> list[models.RefundPublic]:
        return self._run(self.client.payment_refunds(payment_id))

    def refunds(self, *, limit: int | None = None) -> list[models.RefundPublic]:
        return self._run(self.client.refunds(limit=limit))

    def balance(self) -> models.BalancePublic:
        return self._run(self.client.balance())

    def verify_receipt(self, receipt: str) -> models.VerifyPublic:
        return self._run(self.client.verify_receipt(receipt))

    def create_payout(
        self, payout: models.PayoutCreate, *, idempotency_key: str
    ) -> models.PayoutPublic:
        return self._run(self.client.create_payout(payout, idempotency_key=idempotency_key))

    def confirm_payout(self, payout_id: int) -> models.PayoutPublic:
        return self._run(self.client.confirm_payout(payout_id))

    def cancel_payout(self, payout_id: int) -> models.PayoutPublic:
        return self._run(self.client.cancel_payout(payout_id))

    def payout(self, payout_id: int) -> models.PayoutPublic:
        return self._run(self.client.payout(payout_id))

    def payouts(self, *, limit: int | None = None) -> models.PayoutList:
        return self._run(self.client.payouts(limit=limit))

    def audit(
        self, *, action: str | None = None, limit: int | None = None
    ) -> list[models.AuditEntryPublic]:
        return self._run(self.client.audit(action=action, limit=limit))

    def money_day(self, date: dt.date | None = None) -> models.MoneyDay:
        return self._run(self.client.money_day(date))
