"""Payouts: B2C (wages, business payments) to a phone, B2B to a paybill or till.

Two steps on purpose: `create` only records what the owner typed (nothing is sent), `confirm`
checks the day's limit and sends, once. Confirming twice sends nothing more. The per-day limit
counts every payout confirmed that Nairobi day that has not failed, so a pending payout holds its
share of the limit until M-PESA answers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.clock import nairobi_day, nairobi_day_bounds
from backend.daraja import InvalidPhoneNumber, normalise_msisdn
from backend.errors import BadInput, Conflict, NotFound
from backend.models import User
from backend.money_models import InitiatorRequest, Payout
from backend.schemas.money import B2C_MIN_AMOUNT, PayoutCreate
from backend.services.events import OWNER_ONLY, record_event
from backend.services.idempotency import check_key
from backend.services.money.audit import audit
from backend.services.money.refunds import MONEY_TOOL
from backend.services.money.requests import Outcome, Tool
from backend.services.money.views import masked_party, payout_public
from backend.services.phones import mask_phone

B2C_COMMANDS = {"salary": "SalaryPayment", "business": "BusinessPayment"}
B2B_COMMANDS = {"paybill": "BusinessPayBill", "till": "BusinessBuyGoods"}
HOLDS_LIMIT = ("pending", "paid", "unknown")
_SHORTCODE = re.compile(r"[0-9]{5,7}")


def _fingerprint(body: PayoutCreate) -> str:
    text = body.model_dump_json()
    return hashlib.sha256(text.encode()).hexdigest()


class Payouts(Tool):
    """Record, confirm, send and settle payouts."""

    settles = "payout"

    async def create(self, *, user: User, body: PayoutCreate, key: str) -> Payout:
        """Record a payout awaiting the owner's confirmation; nothing is sent yet."""
        key = check_key(key, what=MONEY_TOOL)
        payout = self._draft(user, body, key)
        async with self._db.write() as session:
            existing = await session.scalar(
                select(Payout).where(Payout.requested_by == user.id, Payout.idempotency_key == key)
            )
            if existing is not None:
                if existing.request_fingerprint != payout.request_fingerprint:
                    raise Conflict(
                        "This Idempotency-Key was already used for a different payout.",
                        code="idempotency_key_reused",
                    )
                return existing
            session.add(payout)
            await session.flush()
            audit(
                session,
                self._clock,
                user=user,
                action="payout.created",
                subject=f"payout:{payout.id}",
                outcome=payout.status,
                detail=f"KSh {payout.amount} {payout.command} to {payout_public(payout).to}",
            )
            await self._emit(session, payout)
        return payout

    def _draft(self, user: User, body: PayoutCreate, key: str) -> Payout:
        now = self._clock.now()
        payout = Payout(
            kind=body.kind,
            amount=body.amount,
            remarks=body.remarks,
            status="awaiting_confirmation",
            requested_by=user.id,
            idempotency_key=key,
            request_fingerprint=_fingerprint(body),
            recipient_name="",
            reason="",
            phone_masked="",
            account_reference="",
            created_at=now,
            updated_at=now,
        )
        if body.kind == "b2c":
            if body.amount < B2C_MIN_AMOUNT:
                raise BadInput(
                    f"M-PESA pays out at least KSh {B2C_MIN_AMOUNT} to a phone.",
                    code="payout_too_small",
                )
            try:
                phone = normalise_msisdn(body.phone or "")
            except InvalidPhoneNumber as exc:
                raise BadInput(exc.user_message, code="invalid_phone") from exc
            payout.command = B2C_COMMANDS[body.purpose]
            payout.phone, payout.phone_masked = phone, mask_phone(phone)
            return payout
        receiver = (body.receiver or "").strip()
        if not _SHORTCODE.fullmatch(receiver):
            raise BadInput(
                "Enter the paybill or till number: 5 to 7 digits.", code="invalid_receiver"
            )
        if body.receiver_kind == "paybill" and not body.account_reference:
            raise BadInput(
                "A paybill needs the account number to pay into.", code="account_required"
            )
        payout.command = B2B_COMMANDS[body.receiver_kind]
        payout.receiver = receiver
        payout.account_reference = body.account_reference or ""
        return payout

    async def confirm(self, *, user: User, payout_id: int) -> Payout:
        """The owner's go-ahead: check today's limit, then send once. Is idempotent."""
        daraja = self._daraja()
        try:
            request_id = await self._mark_confirmed(user, payout_id)
        except Conflict as exc:
            async with self._db.write() as session:  # the refusal is audited, not rolled back
                audit(
                    session,
                    self._clock,
                    user=user,
                    action="payout.confirm",
                    subject=f"payout:{payout_id}",
                    outcome="refused",
                    detail=exc.message,
                )
            raise
        if request_id is not None:
            payout = await self.get(payout_id)
            if payout.kind == "b2c":
                originator = await self._requests.originator(request_id)
                await self._requests.send(
                    request_id,
                    lambda result_url, timeout_url: daraja.b2c(
                        amount=payout.amount,
                        phone=payout.phone or "",
                        command=payout.command,
                        remarks=payout.remarks,
                        originator_conversation_id=originator,
                        result_url=result_url,
                        timeout_url=timeout_url,
                    ),
                )
            else:
                await self._requests.send(
                    request_id,
                    lambda result_url, timeout_url: daraja.b2b(
                        amount=payout.amount,
                        receiver=payout.receiver or "",
                        receiver_kind="paybill" if payout.command == "BusinessPayBill" else "till",
                        account_reference=payout.account_reference or None,
                        remarks=payout.remarks,
                        result_url=result_url,
                        timeout_url=timeout_url,
                    ),
                )
        return await self.get(payout_id)

    async def _mark_confirmed(self, user: User, payout_id: int) -> int | None:
        now = self._clock.now()
        async with self._db.write() as session:
            payout = await self._locked(session, payout_id)
            if payout.status == "cancelled":
                raise Conflict("This payout was cancelled.", code="payout_cancelled")
            if payout.status != "awaiting_confirmation":
                return None  # confirmed before: never send twice
            used = await self.used_on(session, nairobi_day(now))
            limit = self._settings.payout_daily_limit
            if used + payout.amount > limit:
                left = max(limit - used, 0)
                raise Conflict(
                    f"Today's payout limit is KSh {limit:,}; only KSh {left:,} is left.",
                    code="payout_limit_reached",
                )
            payout.status, payout.confirmed_by, payout.confirmed_at = "pending", user.id, now
            payout.updated_at = now
            request = await self._requests.open(
                session, kind=payout.kind, purpose="payout", payout_id=payout.id
            )
            audit(
                session,
                self._clock,
                user=user,
                action="payout.confirm",
                subject=f"payout:{payout.id}",
                outcome="pending",
                detail=f"KSh {payout.amount} {payout.command}",
            )
            await self._emit(session, payout)
            return request.id

    async def cancel(self, *, user: User, payout_id: int) -> Payout:
        """Drop a payout that was never confirmed."""
        async with self._db.write() as session:
            payout = await self._locked(session, payout_id)
            if payout.status not in ("awaiting_confirmation", "cancelled"):
                raise Conflict(
                    "This payout was already sent; it cannot be cancelled.", code="payout_sent"
                )
            if payout.status == "awaiting_confirmation":
                payout.status, payout.updated_at = "cancelled", self._clock.now()
                audit(
                    session,
                    self._clock,
                    user=user,
                    action="payout.cancel",
                    subject=f"payout:{payout.id}",
                    outcome="cancelled",
                )
                await self._emit(session, payout)
            return payout

    async def _locked(self, session: AsyncSession, payout_id: int) -> Payout:
        payout = await session.scalar(
            select(Payout)
            .where(Payout.id == payout_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        if payout is None:
            raise NotFound("No such payout.")
        return payout

    async def used_on(self, session: AsyncSession, day: dt.date) -> int:
        """Shillings of payouts confirmed on `day` (Nairobi) that have not failed."""
        start, end = nairobi_day_bounds(day)
        total = await session.scalar(
            select(func.coalesce(func.sum(Payout.amount), 0)).where(
                Payout.confirmed_at >= start,
                Payout.confirmed_at < end,
                Payout.status.in_(HOLDS_LIMIT),
            )
        )
        return int(total or 0)

    async def apply(
        self, session: AsyncSession, request: InitiatorRequest, outcome: Outcome, late: bool
    ) -> None:
        """Settle the payout a request belongs to (called once per request outcome)."""
        payout = await session.get(Payout, request.payout_id)
        if payout is None:
            return
        now = self._clock.now()
        if outcome.succeeded:
            if payout.status == "paid":
                return
            payout.status, payout.reason, payout.result_code = "paid", "", "0"
            payout.receipt = outcome.receipt
            payout.recipient_name = masked_party(outcome.recipient)[:100]
            payout.completed_at, payout.day = now, nairobi_day(now)
        else:
            if payout.status in ("paid", "failed"):
                return
            payout.status = "unknown" if outcome.code == "unknown" else "failed"
            payout.result_code = outcome.code
            payout.reason = outcome.plain[:255]
        payout.updated_at = now
        audit(
            session,
            self._clock,
            user=None,
            action="payout.result",
            subject=f"payout:{payout.id}",
            outcome=payout.status,
            detail=payout.reason
            or f"receipt {payout.receipt or '-'}" + (" (late)" if late else ""),
        )
        await self._emit(session, payout)

    async def _emit(self, session: AsyncSession, payout: Payout) -> None:
        await record_event(
            session,
            self._clock,
            kind=f"payout.{payout.status}",
            audience=OWNER_ONLY,
            data={"payout": payout_public(payout).model_dump(mode="json")},
        )

    async def get(self, payout_id: int) -> Payout:
        async with self._db.read() as session:
            payout = await session.get(Payout, payout_id)
        if payout is None:
            raise NotFound("No such payout.")
        return payout

    async def recent(self, *, limit: int) -> tuple[list[Payout], int]:
        """Newest payouts first, and the shillings used of today's limit."""
        async with self._db.read() as session:
            items = list(
                await session.scalars(select(Payout).order_by(Payout.id.desc()).limit(limit))
            )
            used = await self.used_on(session, nairobi_day(self._clock.now()))
        return items, used
