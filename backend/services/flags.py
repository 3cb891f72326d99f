"""Flags for the owner: payments and callbacks held back instead of counted, and their review.

A flag is either a flagged payment (`payment-<id>`: a callback that disagreed with the request, a
receipt already used, a push M-PESA never acknowledged, a till payment to another shortcode) or
a flagged callback that no flagged payment stands for (`callback-<id>`: a body we could not read,
a disagreeing callback for a payment already paid). Reviewing one is an owner action, so it is
written to the audit log (`action="flag.resolve"`, subject = the flag id), which is also where
the list reads "reviewed" from: no second copy of that state to drift.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from backend.core.clock import Clock
from backend.core.db import Database
from backend.errors import NotFound
from backend.models import CallbackRecord, Payment, User
from backend.money_models import AuditEntry
from backend.schemas import FlagList, FlagPublic
from backend.services import ledger
from backend.services.events import EventHub
from backend.services.phones import mask_phone
from backend.services.views import payment_public

RESOLVE = "flag.resolve"
MAX_FLAGS = 500
_FLAG_ID = re.compile(r"(payment|callback)-([0-9]{1,18})")
_LONG_NUMBER = re.compile(r"\d{9,}")  # a phone number quoted in a parser's message


@dataclass(frozen=True)
class _Review:
    by: str
    at: dt.datetime
    note: str


def _plain_callback_reason(record: CallbackRecord) -> str:
    note = _LONG_NUMBER.sub(lambda m: mask_phone(m.group()), record.note)
    if record.outcome == "unreadable":
        return (
            f"M-PESA sent a {record.kind} message we could not read ({note}); nothing was counted."
        )
    if record.outcome == "unmatched":
        return (
            "M-PESA reported a result for a payment request we have no record of; "
            "nothing was counted."
        )
    return note or "M-PESA sent a message that does not match what we asked for."


class Flags:
    """List what waits for the owner and mark items reviewed."""

    def __init__(
        self, db: Database, hub: EventHub, clock: Clock, *, unmatched_after: dt.timedelta
    ) -> None:
        self._db = db
        self._hub = hub
        self._clock = clock
        # A callback that beat its push's answer is "unmatched" for a moment; one still
        # unmatched after this long is for a request we never made (or lost): the owner's call.
        self._unmatched_after = unmatched_after

    def _flagged_callback(self) -> ColumnElement[bool]:
        stale = self._clock.now() - self._unmatched_after
        return CallbackRecord.flagged.is_(True) | (
            (CallbackRecord.outcome == "unmatched") & (CallbackRecord.received_at < stale)
        )

    async def list(self, *, include_reviewed: bool = False) -> FlagList:
        """Newest first; reviewed flags only when asked for."""
        linked = aliased(Payment)
        async with self._db.read() as session:
            payments = list(
                await session.scalars(
                    select(Payment)
                    .where(Payment.flagged.is_(True))
                    .order_by(Payment.updated_at.desc(), Payment.id.desc())
                    .limit(MAX_FLAGS)
                )
            )
            records = list(
                await session.execute(
                    select(CallbackRecord, linked)
                    .outerjoin(linked, linked.id == CallbackRecord.payment_id)
                    .where(
                        self._flagged_callback(),
                        (linked.id.is_(None)) | (linked.flagged.is_(False)),
                    )
                    .order_by(CallbackRecord.id.desc())
                    .limit(MAX_FLAGS)
                )
            )
            reviews = await self._reviews(session)
        items = [self._from_payment(p, reviews) for p in payments]
        items += [self._from_callback(r, p, reviews) for r, p in records]
        if not include_reviewed:
            items = [item for item in items if not item.reviewed]
        items.sort(key=lambda item: item.at, reverse=True)
        items = items[:MAX_FLAGS]
        return FlagList(items=items, open=sum(not item.reviewed for item in items))

    async def resolve(self, flag_id: str, *, user: User, note: str) -> FlagPublic:
        """Mark a flag reviewed (audited). Resolving it again changes nothing."""
        found = _FLAG_ID.fullmatch(flag_id)
        if found is None:
            raise NotFound("No such flag. Flags are named like payment-12 or callback-7.")
        source, key = found.group(1), int(found.group(2))
        async with self._db.write() as session:
            if source == "payment":
                payment = await session.get(Payment, key)
                if payment is None or not payment.flagged:
                    raise NotFound("No such flag.")
                record = None
            else:
                record = await session.scalar(
                    select(CallbackRecord).where(CallbackRecord.id == key, self._flagged_callback())
                )
                if record is None:
                    raise NotFound("No such flag.")
                payment = (
                    await session.get(Payment, record.payment_id) if record.payment_id else None
                )
            reviews = await self._reviews(session, flag_id)
            if flag_id not in reviews:
                # Imported here: the money package imports the runtime, which imports us.
                from backend.services.money.audit import audit  # noqa: PLC0415

                audit(
                    session,
                    self._clock,
                    user=user,
                    action=RESOLVE,
                    subject=flag_id,
                    outcome="reviewed",
                    detail=note.strip(),
                )
                await session.flush()
                reviews = await self._reviews(session, flag_id)
                async with ledger.pending_writes(session, self._clock) as pending:
                    payment_id = payment.id if payment else None
                    ledger.owner_flag_event(pending, flag_id, "", payment_id, kind="flag.resolved")
            if record is None:
                assert payment is not None
                flag = self._from_payment(payment, reviews)
            else:
                flag = self._from_callback(record, payment, reviews)
        self._hub.poke()
        return flag

    async def _reviews(
        self, session: AsyncSession, flag_id: str | None = None
    ) -> dict[str, _Review]:
        query = select(AuditEntry).where(AuditEntry.action == RESOLVE).order_by(AuditEntry.id)
        if flag_id is not None:
            query = query.where(AuditEntry.subject == flag_id)
        entries = await session.scalars(query)
        reviews: dict[str, _Review] = {}
        for entry in entries:
            reviews.setdefault(entry.subject, _Review(entry.username, entry.at, entry.detail))
        return reviews

    @staticmethod
    def _from_payment(payment: Payment, reviews: dict[str, _Review]) -> FlagPublic:
        flag_id = f"payment-{payment.id}"
        return _flag(
            flag_id,
            "payment",
            payment.flag_reason or "This payment needs the owner's check.",
            payment.updated_at,
            reviews.get(flag_id),
            payment=payment,
        )

    @staticmethod
    def _from_callback(
        record: CallbackRecord, payment: Payment | None, reviews: dict[str, _Review]
    ) -> FlagPublic:
        flag_id = f"callback-{record.id}"
        return _flag(
            flag_id,
            "callback",
            _plain_callback_reason(record),
            record.received_at,
            reviews.get(flag_id),
            payment=payment,
            callback_kind=record.kind,
        )


def _flag(
    flag_id: str,
    source: str,
    reason: str,
    at: dt.datetime,
    review: _Review | None,
    *,
    payment: Payment | None,
    callback_kind: str | None = None,
) -> FlagPublic:
    return FlagPublic(
        id=flag_id,
        source=source,  # type: ignore[arg-type]
        reason=reason,
        at=at,
        callback_kind=callback_kind,
        payment=payment_public(payment) if payment is not None else None,
        reviewed=review is not None,
        reviewed_by=review.by if review else None,
        reviewed_at=review.at if review else None,
        review_note=review.note if review else "",
    )
