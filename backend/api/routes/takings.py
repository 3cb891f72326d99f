"""Owner-only takings: one Nairobi day, or a CSV of a date range."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from backend.api.deps import CurrentOwner, RuntimeDep
from backend.core.clock import nairobi_day
from backend.errors import BadInput
from backend.schemas import ErrorBody, TakingsDay
from backend.services.takings import MAX_CSV_DAYS

router = APIRouter(
    tags=["takings"],
    responses={401: {"model": ErrorBody}, 403: {"model": ErrorBody}, 422: {"model": ErrorBody}},
)


@router.get("/v1/takings", response_model=TakingsDay)
async def takings_day(
    _: CurrentOwner,
    runtime: RuntimeDep,
    date: Annotated[dt.date | None, Query(description="YYYY-MM-DD, Africa/Nairobi.")] = None,
) -> TakingsDay:
    """Total, count, by cashier, by channel and by hour for one day (today by default)."""
    return await runtime.takings.day(date or nairobi_day(runtime.clock.now()))


@router.get(
    "/v1/takings.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "Paid payments as CSV."}},
)
async def takings_csv(
    _: CurrentOwner,
    runtime: RuntimeDep,
    from_: Annotated[dt.date, Query(alias="from", description="First day, YYYY-MM-DD.")],
    to: Annotated[dt.date, Query(description="Last day, YYYY-MM-DD (inclusive).")],
) -> Response:
    """Every paid payment in the range, for the books."""
    if to < from_:
        raise BadInput("'to' must be on or after 'from'.", field="to")
    if (to - from_).days >= MAX_CSV_DAYS:
        raise BadInput(f"Ask for at most {MAX_CSV_DAYS} days at a time.")
    body = await runtime.takings.csv(from_, to)
    name = f"takings-{from_.isoformat()}-to-{to.isoformat()}.csv"
    return Response(
        body,
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
