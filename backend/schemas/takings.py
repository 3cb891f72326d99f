"""A day of takings (Africa/Nairobi)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel


class TakingsBreakdown(BaseModel):
    key: str
    label: str
    total: int
    count: int


class TakingsHour(BaseModel):
    hour: int
    total: int
    count: int


class TakingsDay(BaseModel):
    date: dt.date
    total: int
    count: int
    by_cashier: list[TakingsBreakdown]
    by_channel: list[TakingsBreakdown]
    by_hour: list[TakingsHour]
