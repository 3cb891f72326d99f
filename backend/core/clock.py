"""Time, injected: everything that reads the clock takes a `Clock`, so tests can move it.

Storage is UTC; a "day of takings" and Daraja timestamps are Africa/Nairobi, whatever the host.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo

NAIROBI = ZoneInfo("Africa/Nairobi")
UTC = dt.UTC


class Clock(Protocol):
    """Something that tells the time as an aware UTC datetime."""

    def now(self) -> dt.datetime: ...


class SystemClock:
    """The real clock."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(UTC)


class ManualClock:
    """A clock tests set and move by hand; starts at `start` (UTC)."""

    def __init__(self, start: dt.datetime) -> None:
        self._now = start.astimezone(UTC)

    def now(self) -> dt.datetime:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += dt.timedelta(seconds=seconds)


def nairobi_day(moment: dt.datetime) -> dt.date:
    """Return the Africa/Nairobi calendar day a UTC moment falls on."""
    return moment.astimezone(NAIROBI).date()


def nairobi_hour(moment: dt.datetime) -> int:
    """Return the Africa/Nairobi hour (0-23) a UTC moment falls in."""
    return moment.astimezone(NAIROBI).hour


def nairobi_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Return the UTC start (inclusive) and end (exclusive) of an Africa/Nairobi day."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=NAIROBI)
    return start.astimezone(UTC), (start + dt.timedelta(days=1)).astimezone(UTC)
