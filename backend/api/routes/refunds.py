"""Refunds (owner only): send a customer's money back, linked to the payment it came from."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, status

from backend.api.deps import CurrentOwner
from backend.schemas import ErrorBody
from backend.schemas.money import RefundCreate, RefundList, RefundPublic
from backend.services.money import MoneyTools
from backend.services.money.views import refund_public

router = APIRouter(
    prefix="/v1",
    tags=["money"],
    responses={401: {"model": ErrorBody}, 403: {"model": ErrorBody}, 422: {"model": ErrorBody}},
)


def money(request: Request) -> MoneyTools:
    return request.app.state.money


@router.post(
    "/payments/{payment_id}/refund",
    response_model=RefundPublic,
    status_code=status.HTTP_201_CREATED,
    responses={404: {"model": ErrorBody}, 409: {"model": ErrorBody}, 503: {"model": ErrorBody}},
)
async def refund_payment(
    payment_id: int,
    owner: CurrentOwner,
    request: Request,
    body: RefundCreate | None = None,
    idempotency_key: Annotated[
        str, Header(description="Unique per refund attempt; a retry with it never pays twice.")
    ] = "",
) -> RefundPublic:
    """Refund a paid payment: all of it (reversal) or part (B2C); the result comes on /v1/events."""
    refund = await money(request).refunds.request(
        user=owner,
        payment_id=payment_id,
        amount=body.amount if body else None,
        key=idempotency_key,
    )
    return refund_public(refund)


@router.get(
    "/payments/{payment_id}/refunds",
    response_model=RefundList,
    responses={404: {"model": ErrorBody}},
)
async def payment_refunds(payment_id: int, owner: CurrentOwner, request: Request) -> RefundList:
    """The refunds of one payment, oldest first."""
    items = await money(request).refunds.for_payment(payment_id)
    return RefundList(items=[refund_public(r) for r in items])


@router.get("/refunds", response_model=RefundList)
async def list_refunds(
    owner: CurrentOwner,
    request: Request,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> RefundList:
    """Recent refunds, newest first."""
    items = await money(request).refunds.recent(limit=limit)
    return RefundList(items=[refund_public(r) for r in items])
