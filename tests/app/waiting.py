"""Wait on a view-model without sleeping blindly: re-check a condition after each change."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from app.viewmodels.observable import Observable


async def until(
    observable: Observable,
    predicate: Callable[[], bool],
    timeout: float = 15.0,  # noqa: ASYNC109 - a deadline per wait is the helper's contract
) -> None:
    """Wait until `predicate()` holds, re-checking after each change of `observable`."""
    changed = asyncio.Event()
    unsubscribe = observable.subscribe(changed.set)
    try:
        async with asyncio.timeout(timeout):
            while not predicate():
                await changed.wait()
                changed.clear()
    finally:
        unsubscribe()
