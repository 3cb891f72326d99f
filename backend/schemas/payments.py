"""Payment requests and what the app sees of a payment (phones always masked)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_AMOUNT = 250_000  # Daraja's per-transaction ceiling (REFERENCE.md §10.5)
REFERENCE = re.compile(r"^[A-Za-z0-9 ]{0,12}$")

Status = Literal["pending", "paid", "failed", "unknown"]
Channel = Literal["stk", "till"]


class PaymentCreate(BaseModel):
    """Ask the customer's phone for their M-PESA PIN."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"amount": 250, "phone": "0712 345 678", "reference": "Table 4"}]
        }
    )

    amount: Any = Field(description="Whole Kenyan shillings, 1 to 250,000.")
    phone: Any = Field(description="The customer's M-PESA number, e.g. 0712 345 678.")
    reference: str | None = Field(default=None, description="Up to 12 letters or digits.")

    @field_validator("amount", mode="before")
    @classmethod
    def _whole_shillings(cls, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("Enter the amount as a number of shillings, like 250.")
        if isinstance(value, float) and not value.is_integer():
            raise ValueError("M-PESA takes whole shillings only: drop the cents.")
        amount = int(value)
        if amount < 1:
            raise ValueError("The amount must be at least KSh 1.")
        if amount > MAX_AMOUNT:
            raise ValueError(f"M-PESA allows at most KSh {MAX_AMOUNT:,} per payment.")
        return amount

    @field_validator("phone", mode="before")
    @classmethod
    def _text_phone(cls, value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ValueError("Enter the customer's phone number, like 0712 345 678.")
        text = str(value).strip()
        if len(text) > 20:
            raise ValueError("That phone number is too long. Enter it like 0712 345 678.")
        return text

    @field_validator("reference")
    @classmethod
    def _short_reference(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not REFERENCE.match(value):
            raise ValueError("A reference is at most 12 letters, digits or spaces.")
        return value or None


class PaymentPublic(BaseModel):
    """A payment as cashiers and owners see it."""

    id: int
    channel: Channel
    status: Status
    amount: int
    phone: str = Field(description="Masked, e.g. 2547••••678.")
    reference: str = ""
    payer_name: str = ""
    receipt: str | None = None
    result_code: int | None = None
    reason: str = Field(default="", description="Why it failed, in words a cashier can act on.")
    cashier_id: int | None = None
    flagged: bool = False
    flag_reason: str = ""
    created_at: dt.datetime
    updated_at: dt.datetime
    paid_at: dt.datetime | None = None
    refunded: int = Field(default=0, description="Shillings refunded to the customer so far.")


class PaymentList(BaseModel):
    items: list[PaymentPublic]
    total_amount: int = Field(description="Sum of the paid payments among `items`.")
