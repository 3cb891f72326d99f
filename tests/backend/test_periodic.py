"""The shared background loop keeps going after a failed round and stops cleanly."""

from __future__ import annotations

import asyncio
import logging

import pytest

from backend.services.periodic import PeriodicLoop


async def test_a_failed_round_is_logged_and_the_loop_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    rounds = 0
    third_round = asyncio.Event()

    async def round_() -> None:
        nonlocal rounds
        rounds += 1
        if rounds == 1:
            raise RuntimeError("database went away")
        if rounds == 3:
            third_round.set()

    loop = PeriodicLoop("test-loop", round_, lambda: 0.0)
    with caplog.at_level(logging.ERROR, logger="backend.services.periodic"):
        loop.start()
        await asyncio.wait_for(third_round.wait(), timeout=30)
        await loop.stop()
    assert "test-loop round failed" in caplog.text
    stopped_at = rounds
    await asyncio.sleep(0.05)
    assert rounds == stopped_at  # nothing runs after stop()


async def test_stop_before_start_is_harmless() -> None:
    async def round_() -> None:
        raise AssertionError("must not run")

    await PeriodicLoop("never", round_, lambda: 1.0).stop()
