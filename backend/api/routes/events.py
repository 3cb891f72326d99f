"""The live feed as Server-Sent Events, resumable with Last-Event-ID."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import StreamingResponse

from backend.api.deps import CurrentUser, RuntimeDep
from backend.api.sse import EventStreamResponse
from backend.errors import BadInput
from backend.schemas import ErrorBody

router = APIRouter(prefix="/v1/events", tags=["events"])
HEARTBEAT = b": heartbeat\n\n"


@router.get(
    "",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "An endless event stream."},
        401: {"model": ErrorBody},
    },
)
async def stream_events(
    user: CurrentUser,
    runtime: RuntimeDep,
    last_event_id: Annotated[str | None, Header()] = None,
    after: Annotated[int | None, Query(ge=0, description="Same as Last-Event-ID.")] = None,
) -> EventStreamResponse:
    """Payment created/paid/failed/flagged and till payments, each with a persistent id."""
    start = after
    if last_event_id:
        if not last_event_id.strip().isdigit():
            raise BadInput("Last-Event-ID must be the number of the last event received.")
        start = int(last_event_id)
    hub = runtime.hub
    is_owner = user.role == "owner"
    # Read the cursor and subscribe together (no await between): every later event is queued.
    last = hub.cursor if start is None else start
    sub = hub.subscribe(user.id, is_owner)

    async def frames() -> AsyncIterator[bytes]:
        nonlocal last
        try:
            # The opening frame's `id:` gives a fresh client a point to resume from, so a drop
            # before its first event loses nothing (the subscription already holds what follows).
            yield f"retry: 2000\nid: {last}\n: connected\n\n".encode()
            if start is not None:
                # Page by page from the log; whatever commits meanwhile is already queued
                # (subscribed above), and `last` drops the queued copies the pages also held.
                async for event in hub.backlog(start, user.id, is_owner):
                    yield event.frame
                    last = max(last, event.id)
            while not sub.closed:
                # Everything waiting leaves in one write: a burst costs one send, not one each.
                frames = []
                for event in await sub.take():
                    if event is None:
                        if not sub.closed and not frames:
                            frames.append(HEARTBEAT)  # any frame already proves we are alive
                    elif event.id > last:
                        last = event.id
                        frames.append(event.frame)
                if frames:
                    yield frames[0] if len(frames) == 1 else b"".join(frames)
        finally:
            hub.unsubscribe(sub)

    return EventStreamResponse(
        frames(),
        on_disconnect=sub.close,
        # The cursor again, in the headers: a fresh client cut off before the opening frame
        # still knows where this stream began, so its reconnect misses nothing.
        headers={
            "Cache-Control": "no-store",
            "X-Accel-Buffering": "no",
            "X-Event-Cursor": str(last),
        },
    )
