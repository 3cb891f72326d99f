"""Flags: callbacks and payments held back for the owner instead of counted."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from backend.schemas.payments import PaymentPublic


class FlagPublic(BaseModel):
    """One thing the owner should look at: why, when, and the payment it concerns (masked)."""

    id: str = Field(description="`payment-<id>` or `callback-<id>`; use it to resolve the flag.")
    source: Literal["payment", "callback"]
    reason: str = Field(description="What is wrong, in plain words.")
    at: dt.datetime
    callback_kind: str | None = Field(
        default=None, description="stk, c2b_confirmation, …: for a callback with no payment."
    )
    payment: PaymentPublic | None = None
    reviewed: bool = False
    reviewed_by: str | None = None
    reviewed_at: dt.datetime | None = None
    review_note: str = ""


class FlagList(BaseModel):
    items: list[FlagPublic]
    open: int = Field(description="How many of `items` are not reviewed yet.")


class FlagResolve(BaseModel):
    note: str = Field(default="", max_length=500, description="What the owner found or did.")
