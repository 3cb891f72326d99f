"""The injected clock, and Daraja's Nairobi-time Timestamp and Password built from it.

Daraja expects `Timestamp` as Kenyan wall time (REFERENCE.md §3.1, §11.6). Servers abroad that
use their local zone build a Password Daraja rejects as "Wrong credentials", so the zone here is
fixed to Africa/Nairobi whatever the host is set to.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

NAIROBI = ZoneInfo("Africa/Nairobi")


class Clock(Protocol):
    """Anything that tells the current time as a timezone-aware datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


def daraja_timestamp(instant: datetime) -> str:
    """Format an aware instant as Daraja's 14-digit `YYYYMMDDHHmmss` in Nairobi time."""
    if instant.tzinfo is None:
        raise ValueError("daraja_timestamp needs a timezone-aware datetime")
    return _timestamp_of_second(int(instant.timestamp()))


@lru_cache(maxsize=4)
def _timestamp_of_second(epoch_second: int) -> str:
    # Every push in the same second shares one Timestamp; zone conversion is the costly part.
    return datetime.fromtimestamp(epoch_second, NAIROBI).strftime("%Y%m%d%H%M%S")


def stk_password(shortcode: str, passkey: str, timestamp: str) -> str:
    """Return base64(shortcode + passkey + timestamp), the STK `Password` (REFERENCE.md §3.1)."""
    return base64.b64encode(f"{shortcode}{passkey}{timestamp}".encode()).decode("ascii")


def parse_daraja_time(value: str | int) -> datetime:
    """Read a 14-digit `YYYYMMDDHHmmss` Nairobi wall time as an aware datetime."""
    text = str(value).strip()
    if len(text) != 14 or not text.isdigit():
        raise ValueError(f"not a YYYYMMDDHHmmss time: {value!r}")
    return datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=NAIROBI)
