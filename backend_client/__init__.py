"""Typed client for Duka's companion backend, used by the app and by scripts.

    client = DukaClient("https://duka.example.com", token_store=KeyringTokenStore())
    await client.sign_in("amina", "4821")
    payment = await client.request_payment(amount=250, phone="0712 345 678")
    async for event in client.events():
        ...

The models are dataclasses generated from the backend's OpenAPI document (`models.py`); the
friendly names below (`Payment`, `Session`, …) are the ones the app should use.
"""

from __future__ import annotations

import enum

from backend_client import models
from backend_client.client import DukaClient, new_idempotency_key
from backend_client.errors import (
    AuthExpired,
    DukaError,
    Forbidden,
    InsecureURL,
    InvalidInput,
    NetworkError,
    NotFound,
    RateLimited,
    ServerError,
)
from backend_client.events import ConnectionState, Event, StreamOptions
from backend_client.sync import SyncDukaClient
from backend_client.tokens import (
    FletSecureTokenStore,
    KeyringTokenStore,
    MemoryTokenStore,
    TokenStore,
    TokenStoreUnavailable,
)

Session = models.SessionPublic
Payment = models.PaymentPublic
PaymentPage = models.PaymentList
Cashier = models.CashierPublic
Takings = models.TakingsDay
TakingsBreakdown = models.TakingsBreakdown
TakingsHour = models.TakingsHour
Till = models.TillPublic
Health = models.Health
Readiness = models.Readiness


class PaymentStatus(enum.StrEnum):
    """`Payment.status` values (a test checks they match the backend's schema)."""

    PENDING = "pending"
    PAID = "paid"
    FAILED = "failed"
    UNKNOWN = "unknown"  # only while the backend reconciles it with Daraja


class Channel(enum.StrEnum):
    """`Payment.channel`: asked for by STK Push, or paid to the till (number or QR)."""

    STK = "stk"
    TILL = "till"


__all__ = [
    "AuthExpired",
    "Cashier",
    "Channel",
    "ConnectionState",
    "DukaClient",
    "DukaError",
    "Event",
    "FletSecureTokenStore",
    "Forbidden",
    "Health",
    "InsecureURL",
    "InvalidInput",
    "KeyringTokenStore",
    "MemoryTokenStore",
    "NetworkError",
    "NotFound",
    "Payment",
    "PaymentPage",
    "PaymentStatus",
    "RateLimited",
    "Readiness",
    "ServerError",
    "Session",
    "StreamOptions",
    "SyncDukaClient",
    "Takings",
    "TakingsBreakdown",
    "TakingsHour",
    "Till",
    "TokenStore",
    "TokenStoreUnavailable",
    "models",
    "new_idempotency_key",
]
