"""KSh amounts and Nairobi times are formatted one way everywhere."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.formatting import format_amount, format_date, format_datetime, format_ksh, format_time


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "KSh 0"),
        (100, "KSh 100"),
        (1500, "KSh 1,500"),
        (250000, "KSh 250,000"),
        (-1250, "-KSh 1,250"),  # a day that paid out more than it took
    ],
)
def test_ksh_has_thousands_separators(amount: int, text: str) -> None:
    assert format_ksh(amount) == text


def test_amount_digits_only() -> None:
    assert format_amount(1234567) == "1,234,567"


def test_times_are_nairobi_whatever_the_host_zone() -> None:
    # 21:30 UTC is 00:30 the next day in Nairobi: the day must roll over too.
    moment = datetime(2026, 12, 4, 21, 30, tzinfo=UTC)
    assert format_time(moment) == "00:30"
    assert format_datetime(moment) == "05/12/2026 00:30"


def test_naive_datetimes_are_read_as_utc() -> None:
    assert format_time(datetime(2026, 12, 4, 9, 0)) == "12:00"  # naive on purpose


def test_dates_are_day_first() -> None:
    assert format_date(date(2026, 1, 9)) == "09/01/2026"
