"""Daraja's callbacks: stored as received, matched to what we asked for, applied once.

Daraja signs nothing (REFERENCE.md §10.2), so a paid STK callback must agree with our request
(CheckoutRequestID, amount, phone) or the payment is flagged for the owner instead of counted.
Every body, readable or not, matched or not, lands in `callbacks` first: nothing is dropped.
A callback for a CheckoutRequestID we have not stored yet (it beat the push acknowledgement) is
kept as "unmatched" and applied the moment the acknowledgement lands (`apply_unmatched`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.clock import Clock
from backend.core.config import Settings
from backend.core.db import Database
from backend.daraja import (
    C2BNotification,
    CallbackParseError,
    StkCallback,
    parse_c2b_notification,
    parse_stk_callback,
)
from backend.models import CallbackRecord, Payment
from backend.services import ledger
from backend.services.events import EventHub
from backend.services.phones import remask

log = logging.getLogger(__name__)
MAX_STORED_BODY = 64 * 1024
MAX_BATCH = 500


def stored_body(raw: bytes) -> str:
    """A callback body as kept: its first 64 KiB, undecodable bytes replaced."""
    return raw[:MAX_STORED_BODY].decode("utf-8", errors="replace")


def callback_record(
    clock: Clock, kind: str, raw: bytes, remote_ip: str, key: str = ""
) -> CallbackRecord:
    """A received body as it lands in `callbacks`, before anyone has read it."""
    return CallbackRecord(
        kind=kind,
        received_at=clock.now(),
        remote_ip=remote_ip[:64],
        body=stored_body(raw),
        match_key=key[:64],
        outcome="",
        flagged=False,
        note="",
    )


@dataclass(frozen=True)
class _Inbound:
    """One STK callback waiting for the writer, and the future its request awaits."""

    callback: StkCallback
    raw: bytes
    remote_ip: str
    done: asyncio.Future[None]


class Callbacks:
    """Apply STK results and C2B payments; every method is idempotent."""

    def __init__(self, db: Database, hub: EventHub, clock: Clock, settings: Settings) -> None:
        self._db = db
        self._hub = hub
        self._clock = clock
        self._settings = settings
        self._inbox: list[_Inbound] = []
        self._writer: asyncio.Task[None] | None = None

    async def store_unreadable(self, kind: str, raw: bytes, remote_ip: str, why: str) -> None:
        async with self._db.write() as session:
            record = callback_record(self._clock, kind, raw, remote_ip)
            record.outcome, record.flagged, record.note = "unreadable", True, why[:255]
            session.add(record)
            await session.flush()
            async with ledger.pending_writes(session, self._clock) as pending:
                ledger.owner_flag_event(pending, f"callback-{record.id}", record.note, None)
        self._hub.poke()

    async def stk(self, raw: bytes, remote_ip: str) -> None:
        """Apply an STK callback body."""
        try:
            callback = parse_stk_callback(raw)
        except CallbackParseError as exc:
            await self.store_unreadable("stk", raw, remote_ip, exc.message)
            return
        done = asyncio.get_running_loop().create_future()
        self._inbox.append(_Inbound(callback, raw, remote_ip, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain_inbox(), name="stk-callbacks")
        await done

    async def _drain_inbox(self) -> None:
        """Apply queued STK callbacks, up to MAX_BATCH per transaction.

        Callbacks that arrive while one batch commits form the next, so under load the cost of
        a commit (and of the lock, the rollup upsert and the event insert) is shared; an idle
        backend still commits each callback at once.
        """
        while self._inbox:
            batch = self._inbox[:MAX_BATCH]
            del self._inbox[:MAX_BATCH]
            try:
                async with self._db.write() as session:
                    await self._apply_batch(session, batch)
            except Exception:
                log.exception("a batch of %d STK callbacks failed; retrying one by one", len(batch))
                await self._apply_singly(batch)
            else:
                for item in batch:
                    if not item.done.done():
                        item.done.set_result(None)
            self._hub.poke()

    async def _apply_singly(self, batch: list[_Inbound]) -> None:
        for item in batch:
            try:
                async with self._db.write() as session:
                    await self._apply_batch(session, [item])
            except Exception as exc:  # surfaces in that callback's request only
                if not item.done.done():
                    item.done.set_exception(exc)
            else:
                if not item.done.done():
                    item.done.set_result(None)

    async def _apply_batch(self, session: AsyncSession, batch: list[_Inbound]) -> None:
        pending = ledger.Pending(receipts={})
        checkouts = {item.callback.checkout_request_id for item in batch}
        rows = await session.scalars(
            select(Payment)
            .where(Payment.checkout_request_id.in_(checkouts))
            .order_by(Payment.id)  # one lock order for every instance: no deadlocks
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        by_checkout = {p.checkout_request_id: p for p in rows}
        receipts = [item.callback.receipt for item in batch if item.callback.receipt]
        if receipts:
            taken = await session.execute(
                select(Payment.receipt, Payment.id).where(Payment.receipt.in_(receipts))
            )
            pending.receipts = {receipt: pid for receipt, pid in taken if receipt}
        records = []
        needs_id: list[CallbackRecord] = []  # flagged with no flag on a payment: owners are told
        now = self._clock.now()
        for item in batch:
            callback = item.callback
            payment = by_checkout.get(callback.checkout_request_id)
            if payment is None:
                payment = await self._find_stk(session, callback)
                if payment is not None:
                    by_checkout[callback.checkout_request_id] = payment
            record: dict[str, Any] = {
                "kind": "stk",
                "received_at": now,
                "remote_ip": item.remote_ip[:64],
                "body": stored_body(item.raw),
                "match_key": callback.checkout_request_id[:64],
                "payment_id": None,
                "outcome": "unmatched",
                "flagged": False,
                "note": "No payment with this CheckoutRequestID (yet)",
            }
            if payment is not None:
                outcome = await self._apply_stk(session, payment, callback, pending)
                record |= {"payment_id": payment.id, "outcome": outcome, "note": ""}
                record["flagged"] = outcome == "flagged"
                if record["flagged"]:
                    record["note"] = mismatch(payment, callback)[:255]
                    if not payment.flagged:  # it was already paid: only this callback is odd
                        needs_id.append(CallbackRecord(**record))
                        continue
            records.append(record)
        if records:
            await session.execute(insert(CallbackRecord), records)
        session.add_all(needs_id)
        await session.flush()
        for flagged in needs_id:
            ledger.owner_flag_event(
                pending, f"callback-{flagged.id}", flagged.note, flagged.payment_id
            )
        await pending.flush(session, self._clock)

    async def apply_unmatched(self, checkout_request_id: str) -> None:
        """Apply callbacks that arrived before we stored this CheckoutRequestID."""
        unmatched = (CallbackRecord.match_key == checkout_request_id) & (
            CallbackRecord.outcome == "unmatched"
        )
        async with self._db.read() as session:  # almost always none: skip the write lock
            if await session.scalar(select(CallbackRecord.id).where(unmatched).limit(1)) is None:
                return
        async with self._db.write() as session:
            records = list(
                await session.scalars(
                    select(CallbackRecord).where(
                        CallbackRecord.match_key == checkout_request_id,
                        CallbackRecord.outcome == "unmatched",
                    )
                )
            )
            async with ledger.pending_writes(session, self._clock) as pending:
                for record in records:
                    callback = parse_stk_callback(record.body)
                    payment = await self._find_stk(session, callback)
                    if payment is not None:
                        record.payment_id = payment.id
                        record.outcome = await self._apply_stk(session, payment, callback, pending)
                        record.flagged = record.outcome == "flagged"
        if records:
            self._hub.poke()

    async def match_orphans(self, payment_id: int) -> None:
        """After a push went unanswered, look for its paid callback among the unmatched ones."""
        async with self._db.write() as session:
            payment = await session.get(Payment, payment_id)
            if payment is None or payment.checkout_request_id is not None:
                return
            records = list(
                await session.scalars(
                    select(CallbackRecord).where(
                        CallbackRecord.kind == "stk",
                        CallbackRecord.outcome == "unmatched",
                        CallbackRecord.received_at >= payment.created_at,
                    )
                )
            )
            async with ledger.pending_writes(session, self._clock) as pending:
                for record in records:
                    callback = parse_stk_callback(record.body)
                    found = await self._find_stk(session, callback)
                    if found is not None and found.id == payment_id:
                        record.payment_id = payment_id
                        record.outcome = await self._apply_stk(session, found, callback, pending)
                        record.flagged = record.outcome == "flagged"
                        break
        self._hub.poke()

    async def _find_stk(self, session: AsyncSession, callback: StkCallback) -> Payment | None:
        found = await session.scalar(
            select(Payment.id).where(Payment.checkout_request_id == callback.checkout_request_id)
        )
        if found is None and callback.paid and callback.phone and callback.amount:
            # The push's answer was lost (OutcomeUnknown): match the one open request we never
            # got a CheckoutRequestID for, same phone and amount, from the last few minutes.
            since = self._clock.now() - dt.timedelta(
                seconds=self._settings.unknown_push_timeout_seconds + 300
            )
            candidates = list(
                await session.scalars(
                    select(Payment.id).where(
                        Payment.checkout_request_id.is_(None),
                        Payment.channel == "stk",
                        Payment.status.in_(("pending", "unknown", "failed")),
                        Payment.phone == callback.phone,
                        Payment.amount == callback.amount,
                        Payment.created_at >= since,
                    )
                )
            )
            found = candidates[0] if len(candidates) == 1 else None
        if found is None:
            return None
        payment = await ledger.locked_payment(session, found)
        if payment is not None and payment.checkout_request_id is None:
            payment.checkout_request_id = callback.checkout_request_id
            payment.merchant_request_id = callback.merchant_request_id
        return payment

    async def _apply_stk(
        self,
        session: AsyncSession,
        payment: Payment,
        callback: StkCallback,
        pending: ledger.Pending,
    ) -> str:
        if not callback.paid:
            if payment.status == "paid":
                return "ignored"  # M-PESA already told us it was paid; a failure cannot undo it
            changed = await ledger.mark_failed(
                session,
                self._clock,
                payment,
                code=callback.result_code,
                desc=callback.result_desc,
                via="callback",
                pending=pending,
            )
            return "applied" if changed else "duplicate"
        problem = mismatch(payment, callback)
        if problem:
            if payment.status != "paid" and not payment.flagged:
                ledger.flag_in(pending, self._clock, payment, problem)
            return "flagged"
        if self._settings.confirm_with_query and payment.status != "paid":
            # Hold the receipt; the reconciler shows Paid once STK Push Query agrees.
            if payment.receipt is None:
                payment.receipt = callback.receipt
            payment.next_check_at = self._clock.now()
            return "awaiting_query"
        changed = await ledger.mark_paid(
            session, self._clock, payment, receipt=callback.receipt, via="callback", pending=pending
        )
        return "applied" if changed else "duplicate"

    async def c2b_confirmation(self, raw: bytes, remote_ip: str) -> None:
        """Record a customer's payment to the till/paybill as a paid payment (once per TransID)."""
        try:
            note = parse_c2b_notification(raw)
        except CallbackParseError as exc:
            await self.store_unreadable("c2b_confirmation", raw, remote_ip, exc.message)
            return
        async with self._db.write() as session:
            record = callback_record(self._clock, "c2b_confirmation", raw, remote_ip, note.trans_id)
            session.add(record)
            existing = await session.scalar(select(Payment).where(Payment.receipt == note.trans_id))
            if existing is not None:
                record.payment_id, record.outcome = existing.id, "duplicate"
                return
            payment = self._till_payment(note)
            session.add(payment)
            await session.flush()
            record.payment_id = payment.id
            if not self._our_shortcode(note.shortcode):
                record.outcome, record.flagged = "flagged", True
                await ledger.flag(
                    session,
                    self._clock,
                    payment,
                    f"Paid to shortcode {note.shortcode}, which is not this shop's; not counted",
                )
                return
            record.outcome = "applied"
            await ledger.mark_paid(session, self._clock, payment, receipt=note.trans_id, via="c2b")
        self._hub.poke()

    def c2b_validation(self, note: C2BNotification) -> tuple[str, str]:
        """Decide a C2B validation: (ResultCode, ResultDesc) as Daraja expects (§6.3)."""
        if not self._our_shortcode(note.shortcode):
            return "C2B00015", "Rejected"
        if note.amount < 1:
            return "C2B00013", "Rejected"
        return "0", "Accepted"

    def _our_shortcode(self, shortcode: str) -> bool:
        ours = {self._settings.shortcode.strip(), self._settings.till_number.strip()} - {""}
        return not ours or shortcode.strip() in ours

    def _till_payment(self, note: C2BNotification) -> Payment:
        now = self._clock.now()
        shown, digits = remask(note.msisdn_masked)
        return Payment(
            channel="till",
            status="pending",
            amount=note.amount,
            phone=None,
            phone_masked=shown,
            phone_search=digits,
            reference=note.bill_ref[:32],
            payer_name=note.first_name[:64],
            requested_by=None,
            idempotency_key=None,
            request_fingerprint="",
            result_desc="",
            reason="",
            flagged=False,
            flag_reason="",
            created_at=now,
            updated_at=now,
            checks=0,
        )


def mismatch(payment: Payment, callback: StkCallback) -> str:
    """Why a paid callback disagrees with what we asked for, in plain words ("" if it agrees)."""
    problems = []
    if callback.amount != payment.amount:
        problems.append(
            f"the amount paid (KSh {callback.amount}) is not the KSh {payment.amount} we asked for"
        )
    if callback.phone and payment.phone and callback.phone != payment.phone:
        problems.append("it was paid from a different phone than the one we prompted")
    if not problems:
        return ""
    return "M-PESA's confirmation does not match the request: " + " and ".join(problems)
