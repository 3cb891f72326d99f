"""Bodies of the owner's money tools: refunds, balance, verify a code, payouts, audit, the day.

Amounts are whole Kenyan shillings. M-PESA balances can carry cents; they are shown rounded down
to the shilling, the way the shop counts money.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_AMOUNT = 250_000  # Daraja's per-transaction ceiling (REFERENCE.md §10.5)
B2C_MIN_AMOUNT = 10  # B2C's floor (REFERENCE.md §7.3)
_ACCOUNT = re.compile(r"^[A-Za-z0-9 \-]{1,13}$")
_REMARKS = re.compile(r"^[A-Za-z0-9 .,\-'/#&]{2,100}$")

RefundStatus = Literal["pending", "refunded", "failed", "unknown"]
PayoutStatus = Literal["awaiting_confirmation", "pending", "paid", "failed", "unknown", "cancelled"]
Verdict = Literal["genuine", "not_found", "other_business", "unknown"]


def whole_shillings(value: Any, *, minimum: int = 1) -> int:
    """Check an amount typed by the owner: whole shillings within M-PESA's limits."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("Enter the amount as a number of shillings, like 250.")
    if isinstance(value, float) and not value.is_integer():
        raise ValueError("M-PESA takes whole shillings only: drop the cents.")
    amount = int(value)
    if amount < minimum:
        raise ValueError(f"The amount must be at least KSh {minimum:,}.")
    if amount > MAX_AMOUNT:
        raise ValueError(f"M-PESA allows at most KSh {MAX_AMOUNT:,} per transaction.")
    return amount


class RefundCreate(BaseModel):
    """Refund a paid payment: all of it (reversal) or part of it (sent back with B2C)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{}, {"amount": 100}]})

    amount: Any = Field(default=None, description="Shillings to refund; leave out for all of it.")

    @field_validator("amount", mode="before")
    @classmethod
    def _amount(cls, value: Any) -> int | None:
        return None if value is None else whole_shillings(value)


class RefundPublic(BaseModel):
    """A refund as the owner sees it."""

    id: int
    payment_id: int
    amount: int
    method: Literal["reversal", "b2c"]
    status: RefundStatus
    receipt: str | None = None
    result_code: str | None = None
    reason: str = Field(default="", description="Why it failed, in plain words.")
    requested_by: int | None = None
    created_at: dt.datetime
    updated_at: dt.datetime
    completed_at: dt.datetime | None = None


class RefundList(BaseModel):
    items: list[RefundPublic]


class BalanceAccountPublic(BaseModel):
    """One M-PESA account of the shortcode (Utility, Working, …), in whole shillings."""

    name: str
    currency: str
    current: int
    available: int
    reserved: int
    uncleared: int


class BalancePublic(BaseModel):
    """The shortcode's balances as M-PESA last reported them."""

    accounts: list[BalanceAccountPublic]
    available: int = Field(description="The account payouts come from (Utility), shillings.")
    fetched_at: dt.datetime
    cached: bool = Field(description="True when this answer is a recent one reused.")


class VerifyPublic(BaseModel):
    """What we know about an M-PESA code a customer shows."""

    receipt: str
    verdict: Verdict
    message: str = Field(description="One sentence to show the cashier as is.")
    source: Literal["ledger", "mpesa", "none"]
    amount: int | None = None
    paid_at: dt.datetime | None = None
    payment_id: int | None = None
    already_used: bool = Field(
        default=False, description="Already recorded here against a sale (or refunded)."
    )
    refunded: bool = False
    paid_to: str = Field(default="", description="Who M-PESA says received it, when not us.")


class PayoutCreate(BaseModel):
    """Pay wages or a supplier: B2C to a phone, or B2B to a paybill/till (confirm it after)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"kind": "b2c", "purpose": "salary", "phone": "0712 345 678", "amount": 1500},
                {
                    "kind": "b2b",
                    "receiver": "600000",
                    "receiver_kind": "paybill",
                    "account_reference": "INV 42",
                    "amount": 2500,
                },
            ]
        }
    )

    kind: Literal["b2c", "b2b"]
    amount: Any = Field(description="Whole shillings (B2C: at least 10).")
    purpose: Literal["salary", "business"] = Field(
        default="business", description="B2C only: wages (salary) or a business payment."
    )
    phone: str | None = Field(default=None, description="B2C: the person's M-PESA number.")
    receiver: str | None = Field(default=None, description="B2B: the paybill or till number.")
    receiver_kind: Literal["paybill", "till"] = "paybill"
    account_reference: str | None = Field(default=None, description="B2B paybill account.")
    remarks: str = Field(default="Duka payout", description="2-100 plain characters.")

    @field_validator("amount", mode="before")
    @classmethod
    def _amount(cls, value: Any) -> int:
        return whole_shillings(value)

    @field_validator("account_reference")
    @classmethod
    def _account(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        if not _ACCOUNT.match(value):
            raise ValueError("An account number is at most 13 letters, digits or spaces.")
        return value

    @field_validator("remarks")
    @classmethod
    def _remarks(cls, value: str) -> str:
        value = value.strip()
        if not _REMARKS.match(value):
            raise ValueError("Remarks are 2 to 100 letters, digits or simple punctuation.")
        return value


class PayoutPublic(BaseModel):
    """A payout as the owner sees it; `awaiting_confirmation` until confirmed."""

    id: int
    kind: Literal["b2c", "b2b"]
    command: str
    amount: int
    to: str = Field(description="Masked phone (B2C) or the paybill/till number (B2B).")
    account_reference: str = ""
    remarks: str = ""
    status: PayoutStatus
    receipt: str | None = None
    recipient_name: str = ""
    result_code: str | None = None
    reason: str = ""
    requested_by: int | None = None
    confirmed_by: int | None = None
    created_at: dt.datetime
    confirmed_at: dt.datetime | None = None
    completed_at: dt.datetime | None = None


class PayoutList(BaseModel):
    items: list[PayoutPublic]
    daily_limit: int
    used_today: int = Field(description="Shillings of payouts confirmed today (not failed).")


class AuditEntryPublic(BaseModel):
    id: int
    at: dt.datetime
    user_id: int | None = None
    username: str = ""
    action: str
    subject: str = ""
    detail: str = ""
    outcome: str = ""


class AuditList(BaseModel):
    items: list[AuditEntryPublic]


class MoneyDay(BaseModel):
    """One Africa/Nairobi day: money in, money back out, and what is left."""

    date: dt.date
    takings: int
    refunds: int
    payouts: int
    net: int = Field(description="takings - refunds - payouts")
