"""Payouts (owner only): wages or suppliers, B2C to a phone or B2B to a paybill/till.

Creating a payout sends nothing; `POST /v1/payouts/{id}/confirm` is the owner's confirmation step.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, status

from backend.api.deps import CurrentOwner
from backend.api.routes.refunds import money
from backend.schemas import ErrorBody
from backend.schemas.money import PayoutCreate, PayoutList, PayoutPublic
from backend.services.money.views import payout_public

router = APIRouter(
    prefix="/v1/payouts",
    tags=["money"],
    responses={401: {"model": ErrorBody}, 403: {"model": ErrorBody}, 422: {"model": ErrorBody}},
)


@router.post(
    "",
    response_model=PayoutPublic,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"model": ErrorBody}},
)
async def create_payout(
    body: PayoutCreate,
    owner: CurrentOwner,
    request: Request,
    idempotency_key: Annotated[
        str, Header(description="Unique per payout; a retry with it never creates a second one.")
    ] = "",
) -> PayoutPublic:
    """Record a payout; nothing is sent until it is confirmed."""
    payout = await money(request).payouts.create(user=owner, body=body, key=idempotency_key)
    return payout_public(payout)


@router.post(
    "/{payout_id}/confirm",
    response_model=PayoutPublic,
    responses={404: {"model": ErrorBody}, 409: {"model": ErrorBody}, 503: {"model": ErrorBody}},
)
async def confirm_payout(payout_id: int, owner: CurrentOwner, request: Request) -> PayoutPublic:
    """Confirm and send a payout (once; within today's limit); the result comes on /v1/events."""
    payout = await money(request).payouts.confirm(user=owner, payout_id=payout_id)
    return payout_public(payout)


@router.post(
    "/{payout_id}/cancel",
    response_model=PayoutPublic,
    responses={404: {"model": ErrorBody}, 409: {"model": ErrorBody}},
)
async def cancel_payout(payout_id: int, owner: CurrentOwner, request: Request) -> PayoutPublic:
    """Drop a payout that was not confirmed."""
    payout = await money(request).payouts.cancel(user=owner, payout_id=payout_id)
    return payout_public(payout)


@router.get("", response_model=PayoutList)
async def list_payouts(
    owner: CurrentOwner,
    request: Request,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> PayoutList:
    """Recent payouts, newest first, with how much of today's limit is used."""
    tools = money(request)
    items, used = await tools.payouts.recent(limit=limit)
    return PayoutList(
        items=[payout_public(p) for p in items],
        daily_limit=request.app.state.runtime.settings.payout_daily_limit,
        used_today=used,
    )


@router.get("/{payout_id}", response_model=PayoutPublic, responses={404: {"model": ErrorBody}})
async def get_payout(payout_id: int, owner: CurrentOwner, request: Request) -> PayoutPublic:
    """One payout as it stands now."""
    return payout_public(await money(request).payouts.get(payout_id))
