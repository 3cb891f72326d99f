"""Balance (owner), verify an M-PESA code (anyone, read-only), the audit log, money per day."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request

from backend.api.deps import CurrentOwner, CurrentUser
from backend.api.routes.refunds import money
from backend.core.clock import nairobi_day
from backend.schemas import ErrorBody
from backend.schemas.money import AuditList, BalancePublic, MoneyDay, VerifyPublic
from backend.services.money import audit as audit_log
from backend.services.money.views import audit_public

router = APIRouter(
    prefix="/v1",
    tags=["money"],
    responses={401: {"model": ErrorBody}, 422: {"model": ErrorBody}},
)


@router.get(
    "/balance",
    response_model=BalancePublic,
    responses={
        403: {"model": ErrorBody},
        502: {"model": ErrorBody},
        503: {"model": ErrorBody},
        504: {"model": ErrorBody},
    },
)
async def balance(owner: CurrentOwner, request: Request) -> BalancePublic:
    """The M-PESA account balances (reused for a short while after each fetch)."""
    return await money(request).balance.read(user=owner)


@router.get(
    "/verify/{receipt}",
    response_model=VerifyPublic,
    responses={503: {"model": ErrorBody}},
)
async def verify(receipt: str, user: CurrentUser, request: Request) -> VerifyPublic:
    """Check an M-PESA code a customer shows: genuine and paid here, not found, or elsewhere."""
    return await money(request).verifier.verify(user=user, receipt=receipt)


@router.get("/audit", response_model=AuditList, responses={403: {"model": ErrorBody}})
async def audit(
    owner: CurrentOwner,
    request: Request,
    action: Annotated[str | None, Query(max_length=32, description="e.g. refund, payout")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> AuditList:
    """Who did what with the shop's money, newest first."""
    runtime = request.app.state.runtime
    entries = await audit_log.recent(runtime.db, limit=limit, action=action)
    return AuditList(items=[audit_public(e) for e in entries])


@router.get("/money/day", response_model=MoneyDay, responses={403: {"model": ErrorBody}})
async def money_day(
    owner: CurrentOwner,
    request: Request,
    date: Annotated[
        dt.date | None, Query(description="An Africa/Nairobi day; default today.")
    ] = None,
) -> MoneyDay:
    """One day's takings, refunds and payouts, and what is left."""
    runtime = request.app.state.runtime
    return await money(request).day(date or nairobi_day(runtime.clock.now()))
