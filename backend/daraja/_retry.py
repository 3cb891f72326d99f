"""Bounded, jittered retries that always name the errors they retry on."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from backend.daraja.errors import (
    ConnectFailed,
    DarajaError,
    DarajaUnavailable,
    OutcomeUnknown,
    RateLimited,
)

T = TypeVar("T")

# Safe to resend only when nothing can be charged or prompted twice: reads (OAuth, queries,
# balance, status, QR) retry on any transient failure; payment initiations only when nothing was
# sent at all.
SAFE_READ_RETRY_ON: tuple[type[DarajaError], ...] = (
    ConnectFailed,
    DarajaUnavailable,
    RateLimited,
    OutcomeUnknown,
)
PAYMENT_RETRY_ON: tuple[type[DarajaError], ...] = (ConnectFailed,)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """`attempts` tries in total; waits grow from `backoff` seconds, each scaled by 0.5–1.5."""

    attempts: int = 3
    backoff: float = 0.25
    max_backoff: float = 4.0

    def delay(self, retry_number: int) -> float:
        base = min(self.max_backoff, self.backoff * 2.0**retry_number)
        return base * random.uniform(0.5, 1.5)  # noqa: S311 - jitter, not cryptography


async def with_retries(
    policy: RetryPolicy,
    operation: Callable[[], Awaitable[T]],
    retry_on: tuple[type[DarajaError], ...],
) -> T:
    """Run `operation`, retrying only on `retry_on` errors, at most `policy.attempts` times."""
    for retry_number in range(policy.attempts - 1):
        try:
            return await operation()
        except retry_on:
            await asyncio.sleep(policy.delay(retry_number))
    return await operation()
