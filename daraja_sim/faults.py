"""Faults a test can switch on through the control API: latency, 5xx, spike arrest, timeouts.

A fault applies to one API path (or `*` for all Daraja APIs) for the next `count` requests, or until
cleared when `count` is None. Control, phone and certificate pages are never faulted.
"""

from __future__ import annotations

from dataclasses import dataclass

from daraja_sim.errors import INTERNAL, QUOTA, SPIKE_ARREST, DarajaError

KINDS: dict[str, DarajaError | None] = {
    "5xx": INTERNAL,
    "spike": SPIKE_ARREST,
    "quota": QUOTA,
    "timeout": None,  # handled by sleeping after the request has taken effect
}


@dataclass(slots=True)
class Fault:
    """One armed fault."""

    kind: str
    count: int | None
    seconds: float


class Faults:
    """Armed faults by path, added latency, and pending result timeouts."""

    def __init__(self) -> None:
        self.by_path: dict[str, Fault] = {}
        self.latency: dict[str, float] = {}
        self.result_timeouts = 0

    def arm(self, path: str, kind: str, count: int | None, seconds: float) -> None:
        """Make `path` (or `*`) fail as `kind` for `count` requests (None: until cleared)."""
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; use one of {sorted(KINDS)}")
        self.by_path[path] = Fault(kind, count, seconds)

    def clear(self) -> None:
        """Disarm every fault and remove added latency."""
        self.by_path.clear()
        self.latency.clear()
        self.result_timeouts = 0

    def take(self, path: str) -> Fault | None:
        """Return the fault that applies to this request (consuming one use), if any."""
        if not self.by_path:
            return None
        key = path if path in self.by_path else "*"
        fault = self.by_path.get(key)
        if fault is None:
            return None
        if fault.count is not None:
            fault.count -= 1
            if fault.count <= 0:
                del self.by_path[key]
        return fault

    def delay_for(self, path: str) -> float:
        """Return the extra latency, in seconds, for a request to `path`."""
        if not self.latency:
            return 0.0
        return self.latency.get(path, self.latency.get("*", 0.0))

    def take_result_timeout(self) -> bool:
        """Return whether this initiator request should get a QueueTimeOutURL notice instead."""
        if self.result_timeouts > 0:
            self.result_timeouts -= 1
            return True
        return False
