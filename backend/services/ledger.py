"""Every change of a payment's status goes through here, so each is counted exactly once.

A transition locks the payment row (PostgreSQL `FOR UPDATE`; SQLite has one writer anyway),
checks the current status, and in the same transaction updates the takings rollup and appends the
event. A duplicate callback or a second reconciler therefore finds the payment already settled and
changes nothing.

Rollup increments and events are collected in a `Pending` and written together when it is
flushed, so a batch of callbacks applied in one transaction costs a handful of statements, not a
handful per callback (see `services/callbacks.py`).
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.clock import Clock, nairobi_day, nairobi_hour
from backend.models import Payment, Takings
from backend.services.events import EVERYONE, ONE_CASHIER, OWNER_ONLY, record_events
from backend.services.reasons import plain_reason
from backend.services.views import payment_event_data

OPEN = ("pending", "unknown")
TILL_CASHIER = 0  # the takings rollup's "cashier" for payments made straight to the till
TakingsKey = tuple[Any, int, int, str]


def _pair() -> list[int]:
    return [0, 0]  # [total shillings, count]


@dataclass
class Pending:
    """Rollup increments and events waiting to be written in the current transaction."""

    takings: dict[TakingsKey, list[int]] = field(default_factory=lambda: defaultdict(_pair))
    events: list[dict[str, Any]] = field(default_factory=list)
    # receipt → payment id, preloaded for a batch; None: ask the database each time.
    receipts: dict[str, int] | None = None

    async def flush(self, session: AsyncSession, clock: Clock) -> None:
        if self.takings:
            await _upsert_takings(session, self.takings)
            self.takings = defaultdict(_pair)
        if self.events:
            await record_events(session, clock, self.events)
            self.events = []


@contextlib.asynccontextmanager
async def pending_writes(session: AsyncSession, clock: Clock) -> AsyncIterator[Pending]:
    """Collect ledger writes and flush them when the block ends."""
    pending = Pending()
    yield pending
    await pending.flush(session, clock)


async def locked_payment(session: AsyncSession, payment_id: int) -> Payment | None:
    return await session.scalar(
        select(Payment)
        .where(Payment.id == payment_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def _upsert_takings(session: AsyncSession, takings: dict[TakingsKey, list[int]]) -> None:
    insert = postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert
    for (day, hour, cashier, channel), (total, count) in sorted(takings.items()):
        stmt = insert(Takings).values(
            day=day, hour=hour, cashier_id=cashier, channel=channel, total=total, count=count
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["day", "hour", "cashier_id", "channel"],
            set_={
                "total": Takings.total + stmt.excluded.total,
                "count": Takings.count + stmt.excluded.count,
            },
        )
        await session.execute(stmt)


def _audience(payment: Payment) -> tuple[str, int | None]:
    if payment.channel == "till":
        return EVERYONE, None
    return ONE_CASHIER, payment.requested_by


def emit_to(pending: Pending, payment: Payment, kind: str, via: str) -> None:
    audience, cashier = _audience(payment)
    pending.events.append(
        {
            "kind": kind,
            "audience": audience,
            "cashier_id": cashier,
            "payment_id": payment.id,
            "data": payment_event_data(payment, via),
        }
    )


async def emit(session: AsyncSession, clock: Clock, payment: Payment, kind: str, via: str) -> None:
    """Append one event for `payment` now (outside a batch)."""
    async with pending_writes(session, clock) as pending:
        emit_to(pending, payment, kind, via)


async def mark_paid(
    session: AsyncSession,
    clock: Clock,
    payment: Payment,
    *,
    receipt: str | None,
    via: str,
    pending: Pending | None = None,
) -> bool:
    """Settle as paid (from pending, unknown, or a failure M-PESA later contradicts)."""
    if pending is None:
        async with pending_writes(session, clock) as own:
            return await mark_paid(session, clock, payment, receipt=receipt, via=via, pending=own)
    if payment.status == "paid":
        if receipt and not payment.receipt and not await _receipt_taken(session, pending, receipt):
            payment.receipt = receipt  # a query settled it first; the late callback adds this
            payment.updated_at = clock.now()
            _claim(pending, receipt, payment.id)
            # The screen already shows Paid (a query's answer has no receipt): send the receipt.
            emit_to(pending, payment, "payment.receipt", via)
        return False
    if receipt and await _receipt_taken(session, pending, receipt, payment.id):
        flag_in(
            pending,
            clock,
            payment,
            f"M-PESA receipt {receipt} is already on another payment; this one was not counted",
        )
        return False
    now = clock.now()
    payment.status = "paid"
    payment.receipt = receipt or payment.receipt
    payment.result_code = 0
    payment.reason = ""
    payment.paid_at = now
    payment.day = nairobi_day(now)
    payment.updated_at = now
    payment.next_check_at = None
    if receipt:
        _claim(pending, receipt, payment.id)
    key = (payment.day, nairobi_hour(now), payment.requested_by or TILL_CASHIER, payment.channel)
    pending.takings[key][0] += payment.amount
    pending.takings[key][1] += 1
    # A customer paying the till (or its QR) is news for every cashier: its own kind.
    emit_to(pending, payment, "c2b.received" if payment.channel == "till" else "payment.paid", via)
    return True


async def mark_failed(
    session: AsyncSession,
    clock: Clock,
    payment: Payment,
    *,
    code: int | None,
    desc: str,
    via: str,
    reason: str | None = None,
    pending: Pending | None = None,
) -> bool:
    """Settle as failed, with Daraja's code and a plain reason. Only from an open status."""
    if payment.status not in OPEN:
        return False
    now = clock.now()
    payment.status = "failed"
    payment.result_code = code
    payment.result_desc = desc[:255]
    payment.reason = (reason or plain_reason(code, desc))[:255]
    payment.updated_at = now
    payment.next_check_at = None
    if pending is None:
        await emit(session, clock, payment, "payment.failed", via)
    else:
        emit_to(pending, payment, "payment.failed", via)
    return True


def flag_in(pending: Pending, clock: Clock, payment: Payment, why: str) -> None:
    """Hold a payment back for the owner instead of counting it (mismatched callback etc.)."""
    payment.flagged = True
    payment.flag_reason = why[:255]
    if payment.status == "pending":
        payment.status = "unknown"
        payment.reason = "Waiting for the owner to check this payment"
    payment.next_check_at = None
    payment.updated_at = clock.now()
    emit_to(pending, payment, "payment.flagged", "check")
    owner_flag_event(pending, f"payment-{payment.id}", payment.flag_reason, payment.id)


def owner_flag_event(
    pending: Pending,
    flag_id: str,
    reason: str,
    payment_id: int | None,
    *,
    kind: str = "flag.raised",
) -> None:
    """Tell owners (only) that something waits on `GET /v1/flags` (or, `flag.resolved`, no more)."""
    pending.events.append(
        {
            "kind": kind,
            "audience": OWNER_ONLY,
            "cashier_id": None,
            "payment_id": payment_id,
            "data": {"flag_id": flag_id, "reason": reason, "payment_id": payment_id},
        }
    )


async def flag(session: AsyncSession, clock: Clock, payment: Payment, why: str) -> None:
    async with pending_writes(session, clock) as pending:
        flag_in(pending, clock, payment, why)


def _claim(pending: Pending, receipt: str, payment_id: int) -> None:
    if pending.receipts is not None:
        pending.receipts[receipt] = payment_id


async def _receipt_taken(
    session: AsyncSession, pending: Pending, receipt: str, other_than: int = 0
) -> bool:
    if pending.receipts is not None and receipt in pending.receipts:
        found: int | None = pending.receipts[receipt]
    elif pending.receipts is not None:
        return False  # preloaded for the whole batch: nobody has it
    else:
        found = await session.scalar(select(Payment.id).where(Payment.receipt == receipt))
    return found is not None and found != other_than
