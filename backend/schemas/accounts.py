"""Sessions and cashiers."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class SessionCreate(BaseModel):
    """Sign in: an owner's password or a cashier's PIN goes in `secret`."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"username": "amina", "secret": "1234"}]}
    )

    username: str = Field(max_length=64)
    secret: str = Field(max_length=256)


class SessionPublic(BaseModel):
    token: str
    role: Literal["owner", "cashier"]
    user_id: int
    username: str
    expires_at: dt.datetime


class CashierCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"username": "amina", "pin": "4821"}]}
    )

    username: str = Field(max_length=64)
    pin: str = Field(max_length=16)


class CashierUpdate(BaseModel):
    """Re-PIN and/or disable (or re-enable) a cashier."""

    pin: str | None = Field(default=None, max_length=16)
    disabled: bool | None = None


class CashierPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    disabled: bool
    created_at: dt.datetime
