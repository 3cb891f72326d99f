"""Tables for the owner's money tools: refunds, payouts, initiator requests and the audit log.

Why the shape:
- Every Daraja initiator call (Reversal, B2C, B2B, Transaction Status, Account Balance) is one
  `initiator_requests` row, written *before* the call, so a Result that comes back (or never does)
  always has something to land on. `originator_id` is how a Result finds its row.
- `refunds` and `payouts` are what the owner asked for; their status only changes when a Result
  (or a Transaction Status answer) for one of their requests arrives, once.
- `day` is the Africa/Nairobi day the money moved, so a day's refunds and payouts sit beside that
  day's takings.
- `audit_log` is append-only: who, when, what, and how it ended. No secret is ever written to it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from backend.models import Base, BigId, UTCDateTime


class Refund(Base):
    """Money sent back to a customer for one payment: a reversal (full) or B2C (partial)."""

    __tablename__ = "refunds"
    __table_args__ = (
        UniqueConstraint("requested_by", "idempotency_key", name="uq_refunds_idempotency"),
        Index("ix_refunds_day", "day"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    method: Mapped[str] = mapped_column(String(12))  # "reversal" | "b2c"
    status: Mapped[str] = mapped_column(String(12))  # pending | refunded | failed | unknown
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    idempotency_key: Mapped[str | None] = mapped_column(String(128))
    receipt: Mapped[str | None] = mapped_column(String(32))
    result_code: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    day: Mapped[dt.date | None] = mapped_column(Date)


class Payout(Base):
    """Money paid out of the shop's account: B2C to a phone, or B2B to a paybill or till."""

    __tablename__ = "payouts"
    __table_args__ = (
        UniqueConstraint("requested_by", "idempotency_key", name="uq_payouts_idempotency"),
        Index("ix_payouts_day", "day"),
        Index("ix_payouts_confirmed_at", "confirmed_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # "b2c" | "b2b"
    command: Mapped[str] = mapped_column(String(24))  # Daraja CommandID
    amount: Mapped[int] = mapped_column(BigInteger)
    phone: Mapped[str | None] = mapped_column(String(16))  # B2C: normalised MSISDN
    phone_masked: Mapped[str] = mapped_column(String(32), default="")
    receiver: Mapped[str | None] = mapped_column(String(8))  # B2B: paybill or till number
    account_reference: Mapped[str] = mapped_column(String(16), default="")
    remarks: Mapped[str] = mapped_column(String(100), default="")
    # awaiting_confirmation | pending | paid | failed | unknown | cancelled
    status: Mapped[str] = mapped_column(String(24))
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    idempotency_key: Mapped[str | None] = mapped_column(String(128))
    request_fingerprint: Mapped[str] = mapped_column(String(64), default="")
    receipt: Mapped[str | None] = mapped_column(String(32))
    recipient_name: Mapped[str] = mapped_column(String(100), default="")
    result_code: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    day: Mapped[dt.date | None] = mapped_column(Date)


class InitiatorRequest(Base):
    """One call to an initiator API and what came of it.

    `state`: sending (row written, call not answered yet) → sent (acknowledged, Result awaited)
    → done | failed; `unknown` when the call or its Result was lost (reconcile by Transaction
    Status); `gave_up` when reconciliation found nothing (a late success Result still counts).
    """

    __tablename__ = "initiator_requests"
    __table_args__ = (Index("ix_initiator_requests_state_check", "state", "next_check_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # reversal | b2c | b2b | status | balance
    purpose: Mapped[str] = mapped_column(String(12))  # refund | payout | verify | balance | check
    originator_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    conversation_id: Mapped[str | None] = mapped_column(String(64), index=True)
    refund_id: Mapped[int | None] = mapped_column(ForeignKey("refunds.id"))
    payout_id: Mapped[int | None] = mapped_column(ForeignKey("payouts.id"))
    target_id: Mapped[int | None] = mapped_column(BigId)  # a "check" query: the request it checks
    receipt: Mapped[str | None] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(12))
    result_code: Mapped[str | None] = mapped_column(String(16))
    result_desc: Mapped[str] = mapped_column(String(255), default="")
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    next_check_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    checks: Mapped[int] = mapped_column(Integer, default=0)


class AuditEntry(Base):
    """Who did what to the shop's money, when, and how it ended."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(32), default="")
