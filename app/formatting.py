"""Format money and times one way everywhere in the app.

Money is whole Kenyan shillings (int). Times are stored in UTC and shown in Africa/Nairobi (EAT,
UTC+3) whatever the host's zone, because a shop's day and its M-PESA receipts are Nairobi days.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

NAIROBI = ZoneInfo("Africa/Nairobi")

__all__ = [
    "NAIROBI",
    "format_amount",
    "format_date",
    "format_datetime",
    "format_ksh",
    "format_time",
    "to_nairobi",
]


def format_amount(amount: int) -> str:
    """Return whole shillings with thousands separators: ``1234567`` → ``"1,234,567"``."""
    return f"{amount:,}"


def format_ksh(amount: int) -> str:
    """Return an amount as the cashier reads it: ``1500`` → ``"KSh 1,500"``.

    A negative amount puts the sign before the currency: ``-250`` → ``"-KSh 250"``.
    """
    sign = "-" if amount < 0 else ""
    return f"{sign}KSh {format_amount(abs(amount))}"


def to_nairobi(moment: datetime) -> datetime:
    """Convert an aware (or naive-UTC) datetime to Nairobi time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(NAIROBI)


def format_time(moment: datetime) -> str:
    """Return the Nairobi wall-clock time, 24-hour: ``"14:05"``."""
    return to_nairobi(moment).strftime("%H:%M")


def format_date(day: date) -> str:
    """Return a day the way Kenyans write it: ``"04/12/2026"``."""
    return day.strftime("%d/%m/%Y")


def format_datetime(moment: datetime) -> str:
    """Return Nairobi date and time: ``"04/12/2026 14:05"``."""
    local = to_nairobi(moment)
    return f"{format_date(local.date())} {local.strftime('%H:%M')}"
