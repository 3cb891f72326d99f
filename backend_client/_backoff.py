"""Jittered exponential backoff for reconnecting the event stream.

Jitter spreads a shop full of phones that lost the same cell tower so they do not all hit the
backend in the same instant when it comes back.
"""

from __future__ import annotations

import random


class Backoff:
    """Delays of `initial * 2**n` capped at `maximum`, each scaled by a random factor in [½, 1]."""

    def __init__(self, initial: float, maximum: float, rng: random.Random | None = None) -> None:
        self._initial = initial
        self._maximum = maximum
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not cryptography
        self._attempt = 0

    def reset(self) -> None:
        """Start again from the shortest delay (after a connection succeeded)."""
        self._attempt = 0

    def next_delay(self) -> float:
        """Return the delay before the next attempt and advance."""
        ceiling = min(self._maximum, self._initial * 2.0 ** min(self._attempt, 30))
        self._attempt += 1
        return ceiling * self._rng.uniform(0.5, 1.0)
