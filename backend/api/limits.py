"""Refuse huge bodies before anything reads them (Content-Length or streamed)."""

from __future__ import annotations

import json
from typing import Any

from backend.errors import PayloadTooLarge

Scope = dict[str, Any]
TOO_LARGE = "The request is far too big to be real."


class BodySizeLimit:
    """ASGI middleware: 413 for any request body over `max_bytes`."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await self._refuse(send)
                return
        seen = 0

        async def limited() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    # Raised inside the route's body read, so the app's handler answers 413.
                    raise PayloadTooLarge(TOO_LARGE)
            return message

        await self.app(scope, limited, send)

    async def _refuse(self, send: Any) -> None:
        body = json.dumps({"code": "payload_too_large", "detail": TOO_LARGE}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})
