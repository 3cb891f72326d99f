"""What the simulator received and sent, for tests to inspect through the control API.

Secrets never enter the log: the STK `Password`, any `SecurityCredential` and the Authorization
header are replaced with "***" before a request is recorded.
"""

from __future__ import annotations

import itertools
from collections import deque
from typing import Any

_SECRET_KEYS = frozenset({"Password", "SecurityCredential"})


def redact(body: Any) -> Any:
    """Return `body` with secret fields masked (Daraja puts them at the top level)."""
    if isinstance(body, dict) and not _SECRET_KEYS.isdisjoint(body):
        return {k: ("***" if k in _SECRET_KEYS else v) for k, v in body.items()}
    return body


class Activity:
    """Bounded logs of received API requests and sent callbacks, oldest dropped first."""

    def __init__(self, limit: int) -> None:
        self.received: deque[dict[str, Any]] = deque(maxlen=limit)
        self.sent: deque[dict[str, Any]] = deque(maxlen=limit)
        self._sequence = itertools.count(1)

    def record_received(self, at: str, method: str, path: str, body: Any, status: int) -> None:
        """Remember one API request and the HTTP status it was answered with."""
        self.received.append(
            {
                "seq": next(self._sequence),
                "at": at,
                "method": method,
                "path": path,
                "body": redact(body),
                "status": status,
            }
        )

    def record_sent(self, record: dict[str, Any]) -> None:
        """Remember one outgoing callback (delivered, failed or deliberately dropped)."""
        record["seq"] = next(self._sequence)
        self.sent.append(record)

    def clear(self) -> None:
        """Forget everything recorded so far."""
        self.received.clear()
        self.sent.clear()
