"""Nairobi time: Daraja timestamps are East Africa Time whatever the host's zone (§11 item 6).

Also `Timers`, the cancellable `call_later` the simulator and its callback queue share.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

NAIROBI = ZoneInfo("Africa/Nairobi")

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Return the current instant (timezone-aware, UTC)."""
    return datetime.now(UTC)


def nairobi(moment: datetime) -> datetime:
    """Return `moment` as Africa/Nairobi wall time."""
    return moment.astimezone(NAIROBI)


def daraja_timestamp(moment: datetime) -> str:
    """Format `moment` as Daraja's 14-digit `YYYYMMDDHHmmss` in Nairobi time."""
    return nairobi(moment).strftime("%Y%m%d%H%M%S")


def b2c_timestamp(moment: datetime) -> str:
    """Format `moment` as B2C's `DD.MM.YYYY HH:mm:ss` (§12: B2C alone uses this form)."""
    return nairobi(moment).strftime("%d.%m.%Y %H:%M:%S")


def sms_time(moment: datetime) -> str:
    """Format a moment as M-PESA SMS do: `4/12/26 at 7:24 PM` (Nairobi time)."""
    local = nairobi(moment)
    hour = local.strftime("%I").lstrip("0")
    return f"{local.day}/{local.month}/{local:%y} at {hour}:{local:%M} {local:%p}"


class Timers:
    """`call_later` on the running loop, remembering each pending handle so all can be cancelled."""

    def __init__(self) -> None:
        self._handles: set[asyncio.TimerHandle] = set()

    def call_later(self, delay: float, action: Callable[..., None], *args: Any) -> None:
        """Run `action(*args)` after `delay` seconds unless `cancel_all` comes first."""
        handle: asyncio.TimerHandle

        def fire() -> None:
            self._handles.discard(handle)
            action(*args)

        handle = asyncio.get_running_loop().call_later(delay, fire)
        self._handles.add(handle)

    def cancel_all(self) -> None:
        """Cancel every timer still pending."""
        for handle in self._handles:
            handle.cancel()
        self._handles.clear()
