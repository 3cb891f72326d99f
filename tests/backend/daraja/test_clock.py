"""Timestamp and Password are Nairobi wall time whatever the host's zone."""

from __future__ import annotations

import base64
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest

from backend.daraja import NAIROBI, SystemClock, daraja_timestamp, stk_password
from backend.daraja._clock import parse_daraja_time

PASSKEY = "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919"


def test_utc_evening_is_next_day_in_nairobi() -> None:
    # 22:30 UTC on 31 Dec is 01:30 on 1 Jan in Nairobi: the date and year both roll over.
    assert daraja_timestamp(datetime(2025, 12, 31, 22, 30, tzinfo=UTC)) == "20260101013000"


def test_any_zone_gives_the_same_timestamp() -> None:
    instant = datetime(2024, 6, 7, 9, 30, 45, tzinfo=UTC)
    new_york = instant.astimezone(timezone(timedelta(hours=-4)))
    assert daraja_timestamp(new_york) == daraja_timestamp(instant) == "20240607123045"


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        daraja_timestamp(datetime(2024, 6, 7, 12, 0))


def test_docs_password() -> None:
    # The docs' sample Password decodes to shortcode + passkey + timestamp (REFERENCE.md §10.4).
    password = stk_password("174379", PASSKEY, "20210628092408")
    assert base64.b64decode(password).decode() == f"174379{PASSKEY}20210628092408"


def test_process_zone_does_not_leak_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        before = datetime.now(NAIROBI).replace(microsecond=0)
        stamp = daraja_timestamp(SystemClock().now())
        after = datetime.now(NAIROBI)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert before <= parse_daraja_time(stamp) <= after
