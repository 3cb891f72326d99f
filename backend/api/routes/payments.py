"""STK payment requests and the payment list."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, status

from backend.api.deps import CurrentUser, RuntimeDep
from backend.schemas import ErrorBody, PaymentCreate, PaymentList, PaymentPublic
from backend.services.views import payment_public

router = APIRouter(
    prefix="/v1/payments",
    tags=["payments"],
    responses={401: {"model": ErrorBody}, 422: {"model": ErrorBody}},
)


@router.post(
    "",
    response_model=PaymentPublic,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"model": ErrorBody}},
)
async def request_payment(
    body: PaymentCreate,
    user: CurrentUser,
    runtime: RuntimeDep,
    idempotency_key: Annotated[
        str,
        Header(
            description="Unique per payment attempt; a retry with the same key never prompts twice."
        ),
    ] = "",
) -> PaymentPublic:
    """Prompt the customer's phone for their M-PESA PIN; the result arrives on /v1/events."""
    payment = await runtime.payments.request(user=user, body=body, key=idempotency_key)
    return payment_public(payment)


@router.get("", response_model=PaymentList)
async def list_payments(  # noqa: PLR0917 - FastAPI query parameters
    user: CurrentUser,
    runtime: RuntimeDep,
    date: Annotated[dt.date | None, Query(description="An Africa/Nairobi day.")] = None,
    status: Literal["pending", "paid", "failed", "unknown"] | None = None,
    q: Annotated[
        str | None, Query(max_length=32, description="A receipt, or the phone's last digits.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> PaymentList:
    """List payments, newest first (cashiers: their own and till payments)."""
    found = await runtime.payments.search(user, day=date, status=status, q=q, limit=limit)
    items = [payment_public(p) for p in found]
    return PaymentList(items=items, total_amount=sum(p.amount for p in items if p.status == "paid"))


@router.get("/{payment_id}", response_model=PaymentPublic, responses={404: {"model": ErrorBody}})
async def get_payment(payment_id: int, user: CurrentUser, runtime: RuntimeDep) -> PaymentPublic:
    """One payment as it stands now."""
    return payment_public(await runtime.payments.get(payment_id, user))
