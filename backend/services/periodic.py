"""One background loop that runs a round of work every few seconds until stopped.

The reconciler (STK Push Query for silent payments) and the money checks (Transaction Status for
silent refunds and payouts) both need exactly this: a round that may fail without ending the loop
for good, a pause from settings, and a clean cancel at shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


class PeriodicLoop:
    """Run `round_` every `interval()` seconds in its own task; a failed round is only logged."""

    def __init__(
        self, name: str, round_: Callable[[], Awaitable[object]], interval: Callable[[], float]
    ) -> None:
        self._name = name
        self._round = round_
        self._interval = interval
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self._name)

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await self._round()
            except Exception:  # one bad round must not stop the loop for good
                log.exception("%s round failed", self._name)
            await asyncio.sleep(self._interval())
