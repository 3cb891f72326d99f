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
    """Feed text as it arrives (`feed_text`) or line by line (`feed`); get completed events."""

    def __init__(self) -> None:
        self._rest = ""
        self._after_cr = False
        self._event = ""
        self._data: list[str] = []
        self._id: str | None = None
        self._has_id = False
        self._retry: int | None = None

    def feed_text(self, chunk: str) -> list[RawEvent]:
        """Consume a chunk of the body; return the events it completes, oldest first.

        Lines end in CRLF, LF or CR. A chunk ending in CR ends its line at once (the event is
        not held back until more bytes come); an LF opening the next chunk is then its pair.
        """
        if self._after_cr and chunk.startswith("\n"):
            chunk = chunk[1:]
        self._after_cr = chunk.endswith("\r")
        text = self._rest + chunk
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        *lines, self._rest = text.split("\n")
        events = []
        for line in lines:
            event = self.feed(line)
            if event is not None:
                events.append(event)
        return events

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
