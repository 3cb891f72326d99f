"""Asking a customer to pay: persist first, then STK Push, never prompt twice for one key.

The request row (with its Idempotency-Key) commits before Daraja is called, so a crash between
the two leaves a record the reconciler can close. A repeated key returns that row as it stands.
Daraja errors are sorted by what they mean for the customer's phone (see backend/daraja/errors.py):
nothing sent or refused → failed with a reason; sent but no answer → unknown, settled by the
matching callback or closed after `unknown_push_timeout_seconds`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from backend.core.clock import Clock, nairobi_day_bounds
from backend.core.config import Settings
from backend.core.db import Database
from backend.daraja import (
    DarajaClient,
    DarajaError,
    InvalidPhoneNumber,
    OutcomeUnknown,
    normalise_msisdn,
)
from backend.errors import BadInput, Conflict, NotFound
from backend.models import Payment, User
from backend.schemas.payments import PaymentCreate
from backend.services import ledger
from backend.services.events import EventHub
from backend.services.idempotency import check_key
from backend.services.phones import mask_phone

log = logging.getLogger(__name__)
DEFAULT_ACCOUNT_REFERENCE = "Duka"
DESCRIPTION = "Payment"


def fingerprint(amount: int, phone: str, reference: str) -> str:
    return hashlib.sha256(f"{amount}|{phone}|{reference}".encode()).hexdigest()


class Payments:
    """Create STK payment requests and read payments back."""

    def __init__(
        self,
        db: Database,
        hub: EventHub,
        clock: Clock,
        settings: Settings,
        *,
        daraja: Callable[[], DarajaClient],
        callback_url: Callable[[str], str],
        after_ack: Callable[[str], Awaitable[None]],
        match_orphans: Callable[[int], Awaitable[None]],
    ) -> None:
        self._db = db
        self._hub = hub
        self._clock = clock
        self._settings = settings
        self._daraja = daraja
        self._callback_url = callback_url
        self._after_ack = after_ack
        self._match_orphans = match_orphans
        self._pushing: set[int] = set()  # payment ids whose STK push awaits Daraja's answer

    async def request(self, *, user: User, body: PaymentCreate, key: str) -> Payment:
        """Record the request, then put the PIN prompt on the customer's phone (at most once)."""
        key = check_key(key, what="payment request")
        try:
            phone = normalise_msisdn(body.phone)
        except InvalidPhoneNumber as exc:
            raise BadInput(exc.user_message, code="invalid_phone", field="phone") from exc
        daraja = self._daraja()  # refuses up front when M-PESA is not configured
        reference = body.reference or ""
        payment, created = await self._record(
            user, key, amount=body.amount, phone=phone, reference=reference
        )
        if created:
            # Shielded: once the push is on its way, a dropped request must not stop us from
            # recording Daraja's answer (the customer may already be looking at the prompt).
            await asyncio.shield(self._push(daraja, payment))
        return payment

    def pushing(self, payment_id: int) -> bool:
        """True while this instance still waits for Daraja's answer to the payment's push."""
        return payment_id in self._pushing

    async def _record(
        self, user: User, key: str, *, amount: int, phone: str, reference: str
    ) -> tuple[Payment, bool]:
        now = self._clock.now()
        request_print = fingerprint(amount, phone, reference)
        try:
            async with self._db.write() as session:
                existing = await session.scalar(
                    select(Payment).where(
                        Payment.requested_by == user.id, Payment.idempotency_key == key
                    )
                )
                if existing is not None:
                    if existing.request_fingerprint != request_print:
                        raise Conflict(
                            "This Idempotency-Key was already used for a different payment.",
                            code="idempotency_key_reused",
                        )
                    return existing, False
                payment = Payment(
                    channel="stk",
                    status="pending",
                    amount=amount,
                    phone=phone,
                    phone_masked=mask_phone(phone),
                    phone_search=phone,
                    reference=reference,
                    payer_name="",
                    requested_by=user.id,
                    idempotency_key=key,
                    request_fingerprint=request_print,
                    result_desc="",
                    reason="",
                    flagged=False,
                    flag_reason="",
                    created_at=now,
                    updated_at=now,
                    next_check_at=now
                    + dt.timedelta(seconds=self._settings.unknown_push_timeout_seconds),
                    checks=0,
                )
                session.add(payment)
                await session.flush()
                await ledger.emit(session, self._clock, payment, "payment.created", "request")
        except IntegrityError:
            # The same key raced in from another request or instance: answer with that one.
            async with self._db.read() as session:
                existing = await session.scalar(
                    select(Payment).where(
                        Payment.requested_by == user.id, Payment.idempotency_key == key
                    )
                )
            if existing is None:
                raise
            return existing, False
        self._hub.poke()
        return payment, True

    async def _push(self, daraja: DarajaClient, payment: Payment) -> None:
        self._pushing.add(payment.id)
        try:
            await self._push_once(daraja, payment)
        finally:
            self._pushing.discard(payment.id)

    async def _push_once(self, daraja: DarajaClient, payment: Payment) -> None:
        assert payment.phone is not None
        try:
            ack = await daraja.stk_push(
                amount=payment.amount,
                phone=payment.phone,
                callback_url=self._callback_url("stk"),
                account_reference=payment.reference or DEFAULT_ACCOUNT_REFERENCE,
                description=DESCRIPTION,
            )
        except OutcomeUnknown:
            await self._settle_push(payment, unknown=True)
            await self._match_orphans(payment.id)
            await self._refresh(payment)
            return
        except DarajaError as exc:
            log.info("STK push %s refused: %s %s", payment.id, type(exc).__name__, exc.code)
            await self._settle_push(payment, failure=exc)
            return
        first = self._settings.reconcile_after_seconds[:1] or [30.0]
        async with self._db.write() as session:
            row = await ledger.locked_payment(session, payment.id)
            assert row is not None
            if row.checkout_request_id is None:
                row.checkout_request_id = ack.checkout_request_id
                row.merchant_request_id = ack.merchant_request_id
                if row.status in ledger.OPEN:
                    row.next_check_at = row.created_at + dt.timedelta(seconds=first[0])
            _copy(row, payment)
        # A callback may have beaten the acknowledgement here; apply it now.
        await self._after_ack(ack.checkout_request_id)
        await self._refresh(payment)

    async def _refresh(self, payment: Payment) -> None:
        async with self._db.read() as session:
            fresh = await session.get(Payment, payment.id)
            if fresh is not None:
                _copy(fresh, payment)

    async def _settle_push(
        self, payment: Payment, *, unknown: bool = False, failure: DarajaError | None = None
    ) -> None:
        async with self._db.write() as session:
            row = await ledger.locked_payment(session, payment.id)
            assert row is not None
            if unknown and row.status == "pending":
                row.status = "unknown"
                row.reason = "No answer from M-PESA yet — watch for the customer's SMS"
                row.updated_at = self._clock.now()
                await ledger.emit(session, self._clock, row, "payment.unknown", "request")
            elif failure is not None:
                await ledger.mark_failed(
                    session,
                    self._clock,
                    row,
                    code=None,
                    desc=f"{type(failure).__name__} {failure.code or ''}".strip(),
                    via="request",
                    reason=failure.user_message,
                )
            _copy(row, payment)
        self._hub.poke()

    async def get(self, payment_id: int, user: User) -> Payment:
        async with self._db.read() as session:
            payment = await session.get(Payment, payment_id)
        if payment is None or not _visible(payment, user):
            raise NotFound("No such payment.")
        return payment

    async def search(
        self,
        user: User,
        *,
        day: dt.date | None,
        status: str | None,
        q: str | None,
        limit: int,
    ) -> list[Payment]:
        """List payments newest first: by Nairobi day, status, and receipt or phone digits."""
        stmt = select(Payment).order_by(Payment.id.desc()).limit(limit)
        if day is not None:
            start, end = nairobi_day_bounds(day)
            stmt = stmt.where(Payment.created_at >= start, Payment.created_at < end)
        if status:
            stmt = stmt.where(Payment.status == status)
        if q:
            text = q.strip()
            digits = "".join(ch for ch in text if ch.isdigit())
            clauses = [func.upper(Payment.receipt) == text.upper()]
            if digits and len(digits) >= 3:
                clauses.append(Payment.phone_search.like(f"%{digits}"))
            stmt = stmt.where(or_(*clauses))
        if user.role != "owner":
            stmt = stmt.where(or_(Payment.requested_by == user.id, Payment.channel == "till"))
        async with self._db.read() as session:
            return list(await session.scalars(stmt))


def _visible(payment: Payment, user: User) -> bool:
    return user.role == "owner" or payment.channel == "till" or payment.requested_by == user.id


def _copy(source: Payment, target: Payment) -> None:
    if source is target:
        return
    for column in Payment.__table__.columns:
        setattr(target, column.key, getattr(source, column.key))
