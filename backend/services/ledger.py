"""Every change of a payment's status goes through here, so each is counted exactly once.

A transition locks the payment row (PostgreSQL `FOR UPDATE`; SQLite has one writer anyway),
checks the current status, and in the same transaction updates the takings rollup and appends the
event. A duplicate callback or a second reconciler therefore finds the payment already settled and
changes nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.clock import Clock, nairobi_day, nairobi_hour
from backend.models import Payment, Takings
from backend.services.events import EVERYONE, ONE_CASHIER, record_event
from backend.services.reasons import plain_reason
from backend.services.views import payment_event_data

OPEN = ("pending", "unknown")
TILL_CASHIER = 0  # the takings rollup's "cashier" for payments made straight to the till


async def locked_payment(session: AsyncSession, payment_id: int) -> Payment | None:
    return await session.scalar(
        select(Payment)
        .where(Payment.id == payment_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def add_to_takings(session: AsyncSession, payment: Payment, paid_at: dt.datetime) -> None:
    """Add one paid payment to its (Nairobi day, hour, cashier, channel) rollup row."""
    values = {
        "day": nairobi_day(paid_at),
        "hour": nairobi_hour(paid_at),
        "cashier_id": payment.requested_by or TILL_CASHIER,
        "channel": payment.channel,
        "total": payment.amount,
        "count": 1,
    }
    insert = postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(Takings).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["day", "hour", "cashier_id", "channel"],
        set_={"total": Takings.total + stmt.excluded.total, "count": Takings.count + 1},
    )
    await session.execute(stmt)


def _audience(payment: Payment) -> tuple[str, int | None]:
    if payment.channel == "till":
        return EVERYONE, None
    return ONE_CASHIER, payment.requested_by


async def emit(session: AsyncSession, clock: Clock, payment: Payment, kind: str, via: str) -> None:
    audience, cashier = _audience(payment)
    await record_event(
        session,
        clock,
        kind=kind,
        audience=audience,
        cashier_id=cashier,
        payment_id=payment.id,
        data=payment_event_data(payment, via),
    )


async def mark_paid(
    session: AsyncSession, clock: Clock, payment: Payment, *, receipt: str | None, via: str
) -> bool:
    """Settle as paid (from pending, unknown, or a failure M-PESA later contradicts)."""
    if payment.status == "paid":
        if receipt and not payment.receipt and not await _receipt_taken(session, receipt):
            payment.receipt = receipt  # a query settled it first; the late callback adds this
            payment.updated_at = clock.now()
        return False
    if receipt and await _receipt_taken(session, receipt, payment.id):
        await flag(session, clock, payment, f"Receipt {receipt} is already on another payment")
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
    await add_to_takings(session, payment, now)
    await emit(session, clock, payment, "payment.paid", via)
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
    await emit(session, clock, payment, "payment.failed", via)
    return True


async def flag(session: AsyncSession, clock: Clock, payment: Payment, why: str) -> None:
    """Hold a payment back for the owner instead of counting it (mismatched callback etc.)."""
    payment.flagged = True
    payment.flag_reason = why[:255]
    if payment.status == "pending":
        payment.status = "unknown"
        payment.reason = "Waiting for the owner to check this payment"
    payment.next_check_at = None
    payment.updated_at = clock.now()
    await emit(session, clock, payment, "payment.flagged", "check")


async def _receipt_taken(session: AsyncSession, receipt: str, other_than: int = 0) -> bool:
    found = await session.scalar(select(Payment.id).where(Payment.receipt == receipt))
    return found is not None and found != other_than
