"""Owner-only flags: what was held back instead of counted, and marking it reviewed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query

from backend.api.deps import CurrentOwner, RuntimeDep
from backend.schemas import ErrorBody, FlagList, FlagPublic, FlagResolve

router = APIRouter(
    prefix="/v1/flags",
    tags=["flags"],
    responses={401: {"model": ErrorBody}, 403: {"model": ErrorBody}, 422: {"model": ErrorBody}},
)


@router.get("", response_model=FlagList)
async def list_flags(
    _: CurrentOwner,
    runtime: RuntimeDep,
    include_reviewed: Annotated[bool, Query(description="Also list reviewed flags.")] = False,
) -> FlagList:
    """Flagged payments and callbacks, newest first, each with its reason in plain words."""
    return await runtime.flags.list(include_reviewed=include_reviewed)


@router.post("/{flag_id}/resolve", response_model=FlagPublic, responses={404: {"model": ErrorBody}})
async def resolve_flag(
    flag_id: Annotated[str, Path(max_length=40, description="payment-<id> or callback-<id>.")],
    owner: CurrentOwner,
    runtime: RuntimeDep,
    body: Annotated[FlagResolve | None, Body()] = None,
) -> FlagPublic:
    """Mark a flag reviewed (written to the audit log); doing it again changes nothing."""
    note = body.note if body else ""
    return await runtime.flags.resolve(flag_id, user=owner, note=note)
