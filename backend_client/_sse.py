"""Turn the lines of a `text/event-stream` body into events (WHATWG HTML §9.2.6).

Our own few lines rather than `httpx_sse.EventSource`, because the heartbeat watchdog must see
comment lines (`: ping`) too, and EventSource swallows them before a caller can notice.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RawEvent:
    """One dispatched server-sent event, before its `data` is decoded."""

    id: str | None
    event: str
    data: str
    retry_ms: int | None = None


class SSEParser:
    """Feed lines one at a time; `feed` returns an event when a blank line completes one."""

    def __init__(self) -> None:
        self._event = ""
        self._data: list[str] = []
        self._id: str | None = None
        self._has_id = False
        self._retry: int | None = None

    def feed(self, line: str) -> RawEvent | None:
        """Consume one line (without its newline); return the event it completes, if any."""
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None  # a comment: heartbeats look like this
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id" and "\0" not in value:
            self._id, self._has_id = value, True
        elif name == "retry" and value.isdigit():
            self._retry = int(value)
        return None

    def _dispatch(self) -> RawEvent | None:
        if not self._data and not self._event and not self._has_id and self._retry is None:
            return None
        event = RawEvent(
            id=self._id if self._has_id else None,
            event=self._event or "message",
            data="\n".join(self._data),
            retry_ms=self._retry,
        )
        self._event, self._data, self._has_id, self._retry = "", [], False, None
        return event
