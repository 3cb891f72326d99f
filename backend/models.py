"""Database tables (SQLAlchemy 2). Money is integer shillings; times are UTC.

Why the shape:
- `payments` holds STK requests and till (C2B) payments alike; a receipt is unique, so the same
  M-PESA transaction can never be stored twice.
- `events` is the live feed's durable log; its autoincrement id is the SSE event id.
- `takings` is a rollup per (Nairobi day, hour, cashier, channel), updated in the same transaction
  that turns a payment paid, so a day's takings read a few dozen rows however big `payments` is.
- `callbacks` keeps every Daraja callback body as received, matched or flagged: nothing dropped.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite has no BIGINT autoincrement; on it, INTEGER PRIMARY KEY is already 64-bit.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes in and out, whatever the dialect stores."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    pass


class User(Base):
    """An owner (password) or a cashier (PIN)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(String(255))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class AuthToken(Base):
    """A session: only the token's SHA-256 is kept."""

    __tablename__ = "auth_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class Payment(Base):
    """One STK Push request or one till (C2B) payment."""

    __tablename__ = "payments"
    __table_args__ = (
        UniqueConstraint("requested_by", "idempotency_key", name="uq_payments_idempotency"),
        Index("ix_payments_status_next_check", "status", "next_check_at"),
        Index("ix_payments_created_at", "created_at"),
        Index("ix_payments_day", "day"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    channel: Mapped[str] = mapped_column(String(8))  # "stk" | "till"
    status: Mapped[str] = mapped_column(String(8))  # pending | paid | failed | unknown
    amount: Mapped[int] = mapped_column(BigInteger)
    phone: Mapped[str | None] = mapped_column(String(16))  # normalised; STK only
    phone_masked: Mapped[str] = mapped_column(String(32), default="")
    phone_search: Mapped[str] = mapped_column(String(16), default="")
    reference: Mapped[str] = mapped_column(String(32), default="")
    payer_name: Mapped[str] = mapped_column(String(64), default="")
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    idempotency_key: Mapped[str | None] = mapped_column(String(128))
    request_fingerprint: Mapped[str] = mapped_column(String(64), default="")
    checkout_request_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    merchant_request_id: Mapped[str | None] = mapped_column(String(64))
    receipt: Mapped[str | None] = mapped_column(String(32), unique=True)
    result_code: Mapped[int | None] = mapped_column(Integer)
    result_desc: Mapped[str] = mapped_column(String(255), default="")
    reason: Mapped[str] = mapped_column(String(255), default="")
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    flag_reason: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    paid_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    day: Mapped[dt.date | None] = mapped_column(Date)  # Nairobi day it was paid
    next_check_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    checks: Mapped[int] = mapped_column(Integer, default=0)
    # Shillings sent back (money tools, migration 0002); the sale stays "paid" and shows this.
    refunded: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class Event(Base):
    """One entry of the live feed. `audience`: "owner", "cashier" (+ cashier_id) or "all"."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    audience: Mapped[str] = mapped_column(String(8))
    cashier_id: Mapped[int | None] = mapped_column(Integer)
    payment_id: Mapped[int | None] = mapped_column(BigId)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Takings(Base):
    """Paid money per Nairobi (day, hour, cashier, channel); cashier 0 means the till itself."""

    __tablename__ = "takings"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    hour: Mapped[int] = mapped_column(Integer, primary_key=True)
    cashier_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(8), primary_key=True)
    total: Mapped[int] = mapped_column(BigInteger, default=0)
    count: Mapped[int] = mapped_column(Integer, default=0)


class CallbackRecord(Base):
    """A Daraja callback exactly as received, and what we made of it."""

    __tablename__ = "callbacks"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    remote_ip: Mapped[str] = mapped_column(String(64), default="")
    body: Mapped[str] = mapped_column(Text)
    match_key: Mapped[str] = mapped_column(String(64), default="", index=True)
    payment_id: Mapped[int | None] = mapped_column(BigId)
    outcome: Mapped[str] = mapped_column(String(24), default="")
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(String(255), default="")


class AppSetting(Base):
    """Values generated at install and kept (the callback secret)."""

    __tablename__ = "app_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
