"""Never lose a payment: settle STK requests whose callback has not come, with STK Push Query.

Each open payment carries `next_check_at` in the database, so a restarted backend simply picks up
where the last one stopped. Queries are spaced by `query_min_interval_seconds` (Daraja's spike
arrest, REFERENCE.md §10.3). A final result code (1032, 1037, 1019 …) closes the payment; "still
processing" keeps it pending and schedules the next mark (30 s, 90 s, then every few minutes).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable

from sqlalchemy import select

from backend.core.clock import Clock
from backend.core.config import Settings
from backend.core.db import Database
from backend.daraja import DarajaClient, DarajaError, StkQueryResult
from backend.errors import Unavailable
from backend.models import Payment
from backend.services import ledger
from backend.services.events import EventHub
from backend.services.periodic import PeriodicLoop

log = logging.getLogger(__name__)
BATCH = 50
ERROR_BACKOFF_SECONDS = 10.0


class Reconciler:
    """Query Daraja about overdue open payments until each reaches a final state."""

    def __init__(
        self,
        db: Database,
        hub: EventHub,
        clock: Clock,
        settings: Settings,
        daraja: Callable[[], DarajaClient],
    ) -> None:
        self._db = db
        self._hub = hub
        self._clock = clock
        self._settings = settings
        self._daraja = daraja
        self._loop = PeriodicLoop(
            "reconciler", self.reconcile_due, lambda: settings.reconcile_tick_seconds
        )
        self.queries = 0
        # Set by the runtime to `Payments.pushing`; another instance's pushes are not seen.
        self.pushing: Callable[[int], bool] = lambda _: False

    def start(self) -> None:
        self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def reconcile_due(self) -> int:
        """Check every open payment whose time has come; return how many were looked at."""
        async with self._db.read() as session:
            due = list(
                await session.scalars(
                    select(Payment.id)
                    .where(
                        Payment.status.in_(ledger.OPEN),
                        Payment.next_check_at <= self._clock.now(),
                        Payment.flagged.is_(False),
                    )
                    .order_by(Payment.next_check_at)
                    .limit(BATCH)
                )
            )
        for index, payment_id in enumerate(due):
            if index:
                await asyncio.sleep(self._settings.query_min_interval_seconds)
            await self._check(payment_id)
        return len(due)

    async def _check(self, payment_id: int) -> None:
        async with self._db.read() as session:
            payment = await session.get(Payment, payment_id)
        if payment is None or payment.status not in ledger.OPEN:
            return
        if payment.checkout_request_id is None:
            if self.pushing(payment_id):
                # Our own push is still waiting for Daraja (its timeout can outlast the unknown-
                # push timeout on a slow box): its answer, or OutcomeUnknown, decides; look again.
                await self._reschedule(
                    payment_id, self._settings.reconcile_repeat_seconds, count=False
                )
                return
            await self._close_unanswered(payment_id)
            return
        try:
            self.queries += 1
            result = await self._daraja().stk_query(payment.checkout_request_id)
        except (DarajaError, Unavailable) as exc:
            log.info("STK query for payment %s failed: %s", payment_id, type(exc).__name__)
            await self._reschedule(payment_id, ERROR_BACKOFF_SECONDS, count=False)
            return
        if result.pending:
            await self._reschedule(payment_id, None, count=True)
            return
        await self._settle(payment_id, result)

    async def _settle(self, payment_id: int, result: StkQueryResult) -> None:
        async with self._db.write() as session:
            payment = await ledger.locked_payment(session, payment_id)
            if payment is None or payment.status not in ledger.OPEN:
                return
            if result.paid:
                await ledger.mark_paid(
                    session, self._clock, payment, receipt=payment.receipt, via="query"
                )
            elif self._settings.confirm_with_query and payment.receipt:
                await ledger.flag(
                    session,
                    self._clock,
                    payment,
                    "M-PESA's confirmation said paid, but asking M-PESA again says it was not "
                    f"(code {result.result_code}); not counted",
                )
            else:
                code = _int_or_none(result.result_code)
                await ledger.mark_failed(
                    session,
                    self._clock,
                    payment,
                    code=code,
                    desc=result.result_desc or "",
                    via="query",
                )
        self._hub.poke()

    async def _reschedule(self, payment_id: int, delay: float | None, *, count: bool) -> None:
        async with self._db.write() as session:
            payment = await ledger.locked_payment(session, payment_id)
            if payment is None or payment.status not in ledger.OPEN:
                return
            if count:
                payment.checks += 1
            payment.next_check_at = self._next_check(payment, delay)

    def _next_check(self, payment: Payment, delay: float | None) -> dt.datetime:
        now = self._clock.now()
        if delay is not None:
            return now + dt.timedelta(seconds=delay)
        marks = self._settings.reconcile_after_seconds
        if payment.checks < len(marks):
            due = payment.created_at + dt.timedelta(seconds=marks[payment.checks])
            if due > now:
                return due
        return now + dt.timedelta(seconds=self._settings.reconcile_repeat_seconds)

    async def _close_unanswered(self, payment_id: int) -> None:
        """No CheckoutRequestID after the timeout: the push never got an answer we kept."""
        async with self._db.write() as session:
            payment = await ledger.locked_payment(session, payment_id)
            if payment is None or payment.status not in ledger.OPEN:
                return
            payment.flagged = True
            payment.flag_reason = "M-PESA never acknowledged this prompt"
            async with ledger.pending_writes(session, self._clock) as pending:
                await ledger.mark_failed(
                    session,
                    self._clock,
                    payment,
                    code=None,
                    desc="no acknowledgement from Daraja",
                    via="query",
                    reason="No answer from M-PESA — check the customer's SMS before trying again",
                    pending=pending,
                )
                ledger.owner_flag_event(
                    pending, f"payment-{payment.id}", payment.flag_reason, payment.id
                )
        self._hub.poke()


def _int_or_none(code: str | None) -> int | None:
    try:
        return int(code) if code is not None else None
    except ValueError:
        return None
