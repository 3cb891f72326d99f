"""Refund a paid payment: all of it by Reversal of its receipt, or part of it by B2C to the payer.

A payment has at most one refund that is not failed: the check and the insert happen under the
payment's row lock (PostgreSQL) or the single SQLite writer, so two taps cannot both pass. A refund
counts on the Nairobi day its Result says the money went back, not the day of the sale.

A refund given up as "no record at M-PESA" may still go through later. So refunding that payment
again first asks Transaction Status about the given-up one: found, it counts and the new refund is
refused as already done; still unanswered, the new one waits. If a late success comes all the
same after another refund went out, both really moved money, so both are recorded (the till's
change stays true) and the second is flagged for the owner as a refund paid twice.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.clock import nairobi_day
from backend.errors import BadInput, Conflict, NotFound
from backend.models import Payment, User
from backend.money_models import InitiatorRequest, Refund
from backend.schemas.money import B2C_MIN_AMOUNT
from backend.services import ledger
from backend.services.events import OWNER_ONLY, record_event
from backend.services.idempotency import check_key
from backend.services.money.audit import audit
from backend.services.money.checks import GAVE_UP, Checks
from backend.services.money.requests import Outcome, Tool
from backend.services.money.views import refund_public

log = logging.getLogger(__name__)
MONEY_TOOL = "refund or payout"  # what an Idempotency-Key error asks the key for
ACTIVE = ("pending", "refunded", "unknown")
UNCONFIRMED = (
    "An earlier refund of this payment was never confirmed by M-PESA, and M-PESA has not yet "
    "said whether it went through. Try again in a minute."
)


class Refunds(Tool):
    """Start refunds and settle them when M-PESA answers.

    A Reversal goes out as the party customers pay (`daraja`), a part refund by B2C as the
    shortcode that pays out (`payout_daraja`).
    """

    settles = "refund"

    def __init__(self, *args: Any, checks: Checks, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._checks = checks

    async def request(self, *, user: User, payment_id: int, amount: int | None, key: str) -> Refund:
        """Record the refund, then ask M-PESA once; the outcome arrives on /v1/events."""
        key = check_key(key, what=MONEY_TOOL)
        daraja, payout_daraja = self._daraja(), self._payout_daraja()
        await self._settle_given_up(user, payment_id, key)
        refund, request_id, receipt, phone = await self._record(user, payment_id, amount, key)
        if request_id is not None:
            if refund.method == "reversal":
                await self._requests.send(
                    request_id,
                    lambda result_url, timeout_url: daraja.reversal(
                        receipt=receipt,
                        amount=refund.amount,
                        remarks=f"Duka refund {receipt}",
                        result_url=result_url,
                        timeout_url=timeout_url,
                    ),
                )
            else:
                originator = await self._requests.originator(request_id)
                await self._requests.send(
                    request_id,
                    lambda result_url, timeout_url: payout_daraja.b2c(
                        amount=refund.amount,
                        phone=phone,
                        command="BusinessPayment",
                        remarks=f"Duka refund {receipt}",
                        originator_conversation_id=originator,
                        result_url=result_url,
                        timeout_url=timeout_url,
                    ),
                )
        return await self.get(refund.id)

    async def _settle_given_up(self, user: User, payment_id: int, key: str) -> None:
        """Before refunding again, ask M-PESA once more about refunds given up as "no record"."""
        async with self._db.read() as session:
            mine = (Refund.requested_by == user.id, Refund.idempotency_key == key)
            repeated = await session.scalar(select(Refund.id).where(*mine))
            active = await session.scalar(
                select(Refund.id).where(Refund.payment_id == payment_id, Refund.status.in_(ACTIVE))
            )
            if repeated is not None or active is not None:
                return  # a repeated tap, or `_record` refuses: nothing to ask M-PESA about
            given_up = list(
                await session.scalars(
                    select(InitiatorRequest.id)
                    .join(Refund, InitiatorRequest.refund_id == Refund.id)
                    .where(
                        Refund.payment_id == payment_id,
                        Refund.status == "failed",
                        InitiatorRequest.state == GAVE_UP,
                    )
                )
            )
        for target_id in given_up:
            query_id = await self._checks.recheck(target_id)
            if query_id is None:
                continue
            query = await self._requests.wait(query_id, self._settings.money_result_wait_seconds)
            async with self._db.read() as session:
                target = await session.get(InitiatorRequest, target_id)
            if target is None or target.state == "done":
                continue  # found after all: `_record` refuses as already refunded
            if query is None or not Checks.ruled_out(target, query):
                raise Conflict(UNCONFIRMED, code="refund_unconfirmed")

    async def _record(
        self, user: User, payment_id: int, amount: int | None, key: str
    ) -> tuple[Refund, int | None, str, str]:
        now = self._clock.now()
        async with self._db.write() as session:
            existing = await session.scalar(
                select(Refund).where(Refund.requested_by == user.id, Refund.idempotency_key == key)
            )
            if existing is not None:
                if existing.payment_id != payment_id or amount not in (None, existing.amount):
                    raise Conflict(
                        "This Idempotency-Key was already used for a different refund.",
                        code="idempotency_key_reused",
                    )
                return existing, None, "", ""
            payment = await ledger.locked_payment(session, payment_id)
            if payment is None:
                raise NotFound("No such payment.")
            amount = self._check(payment, amount)
            await self._refuse_second(session, payment)
            method = "reversal" if amount == payment.amount else "b2c"
            refund = Refund(
                payment_id=payment.id,
                amount=amount,
                method=method,
                status="pending",
                requested_by=user.id,
                idempotency_key=key,
                reason="",
                created_at=now,
                updated_at=now,
            )
            session.add(refund)
            await session.flush()
            request = await self._requests.open(
                session, kind=method, purpose="refund", refund_id=refund.id
            )
            audit(
                session,
                self._clock,
                user=user,
                action="refund.requested",
                subject=f"payment:{payment.id}",
                outcome="pending",
                detail=f"KSh {amount} by {method} of {payment.receipt}",
            )
            await self._emit(session, refund, "refund.pending")
            return refund, request.id, payment.receipt or "", payment.phone or ""

    def _check(self, payment: Payment, amount: int | None) -> int:
        if payment.status != "paid" or not payment.receipt:
            raise Conflict("Only a paid payment can be refunded.", code="not_refundable")
        amount = payment.amount if amount is None else amount
        if amount > payment.amount:
            raise BadInput(
                f"You can refund at most KSh {payment.amount:,}, what the customer paid.",
                code="refund_too_large",
            )
        if amount < payment.amount:
            if amount < B2C_MIN_AMOUNT:
                raise BadInput(
                    f"M-PESA sends back at least KSh {B2C_MIN_AMOUNT} for a part refund; "
                    "refund the full amount instead.",
                    code="refund_too_small",
                )
            if not payment.phone:
                raise BadInput(
                    "This customer paid at the till, so only their masked number is known: "
                    "refund the full amount (M-PESA reverses it to them).",
                    code="partial_refund_needs_phone",
                )
        return amount

    async def _refuse_second(self, session: AsyncSession, payment: Payment) -> None:
        active = await session.scalar(
            select(Refund).where(Refund.payment_id == payment.id, Refund.status.in_(ACTIVE))
        )
        if active is None:
            return
        if active.status == "refunded":
            raise Conflict("This payment was already refunded.", code="already_refunded")
        raise Conflict(
            "A refund for this payment is already under way; wait for its result.",
            code="refund_in_progress",
        )

    async def apply(
        self, session: AsyncSession, request: InitiatorRequest, outcome: Outcome, late: bool
    ) -> None:
        """Settle the refund a request belongs to (called once per request outcome)."""
        refund = await session.get(Refund, request.refund_id)
        if refund is None:
            return
        now = self._clock.now()
        twice = ""
        if outcome.succeeded:
            if refund.status == "refunded":
                return
            twice = await self._already_refunded(session, refund)
            refund.status, refund.reason = "refunded", twice
            payment = await ledger.locked_payment(session, refund.payment_id)
            if payment is not None:  # the sale stays paid and shows what went back
                payment.refunded = (payment.refunded or 0) + refund.amount
                payment.updated_at = now
            refund.receipt = outcome.receipt
            refund.result_code = "0"
            refund.completed_at, refund.day = now, nairobi_day(now)
        else:
            if refund.status in ("refunded", "failed"):
                return
            refund.status = "unknown" if outcome.code == "unknown" else "failed"
            refund.result_code = outcome.code
            refund.reason = outcome.plain[:255]
        refund.updated_at = now
        request.flagged = request.flagged or bool(twice)
        audit(
            session,
            self._clock,
            user=None,
            action="refund.twice" if twice else "refund.result",
            subject=f"payment:{refund.payment_id}",
            outcome=refund.status,
            detail=refund.reason
            or f"receipt {refund.receipt or '-'}" + (" (late)" if late else ""),
        )
        await self._emit(session, refund, f"refund.{refund.status}")

    async def _already_refunded(self, session: AsyncSession, refund: Refund) -> str:
        """Why this success is a second refund of its payment (empty when it is the first)."""
        other = await session.scalar(
            select(Refund).where(
                Refund.payment_id == refund.payment_id,
                Refund.id != refund.id,
                Refund.status == "refunded",
            )
        )
        if other is None:
            return ""
        return (
            f"Refunded twice: M-PESA completed this refund late, after the payment had been "
            f"refunded again (KSh {other.amount:,}). The customer got KSh {refund.amount:,} "
            "extra; ask them to return it."
        )[:255]

    async def _emit(self, session: AsyncSession, refund: Refund, kind: str) -> None:
        await record_event(
            session,
            self._clock,
            kind=kind,
            audience=OWNER_ONLY,
            payment_id=refund.payment_id,
            data={"refund": refund_public(refund).model_dump(mode="json")},
        )

    async def get(self, refund_id: int) -> Refund:
        async with self._db.read() as session:
            refund = await session.get(Refund, refund_id)
        if refund is None:
            raise NotFound("No such refund.")
        return refund

    async def for_payment(self, payment_id: int) -> list[Refund]:
        async with self._db.read() as session:
            if await session.get(Payment, payment_id) is None:
                raise NotFound("No such payment.")
            return list(
                await session.scalars(
                    select(Refund).where(Refund.payment_id == payment_id).order_by(Refund.id)
                )
            )

    async def recent(self, *, limit: int) -> list[Refund]:
        async with self._db.read() as session:
            return list(
                await session.scalars(select(Refund).order_by(Refund.id.desc()).limit(limit))
            )
