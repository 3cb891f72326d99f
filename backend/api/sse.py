"""A lean Server-Sent Events response: one `send` per frame, no per-frame wrappers or tasks.

Starlette's StreamingResponse is fine for one stream; with 1,000 open streams every frame it
sends pays for its task-group plumbing, and that cost is the fan-out's latency. This response
writes frames straight to the ASGI `send` and watches `receive` in one small task per stream,
only to hear the client leave.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

from starlette.responses import Response


class EventStreamResponse(Response):
    media_type = "text/event-stream"

    def __init__(
        self,
        frames: AsyncIterator[bytes],
        *,
        on_disconnect: Callable[[], None],
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(content=b"", status_code=200, headers=headers)
        self._frames = frames
        self._on_disconnect = on_disconnect
        # No Content-Length: the body never ends (chunked, frame by frame).
        self.raw_headers = [(k, v) for k, v in self.raw_headers if k != b"content-length"]

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})

        async def watch() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            self._on_disconnect()

        watcher = asyncio.create_task(watch())
        try:
            async for frame in self._frames:
                await send({"type": "http.response.body", "body": frame, "more_body": True})
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await watcher
            aclose = getattr(self._frames, "aclose", None)
            if aclose is not None:
                await aclose()
        with contextlib.suppress(Exception):
            await send({"type": "http.response.body", "body": b"", "more_body": False})
