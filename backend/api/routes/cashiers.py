"""Owner-only cashier management."""

from __future__ import annotations

from fastapi import APIRouter, status

from backend.api.deps import CurrentOwner, RuntimeDep
from backend.schemas import CashierCreate, CashierPublic, CashierUpdate, ErrorBody

router = APIRouter(
    prefix="/v1/cashiers",
    tags=["cashiers"],
    responses={401: {"model": ErrorBody}, 403: {"model": ErrorBody}},
)


@router.get("", response_model=list[CashierPublic])
async def list_cashiers(_: CurrentOwner, runtime: RuntimeDep) -> list[CashierPublic]:
    """List every cashier."""
    return [CashierPublic.model_validate(u) for u in await runtime.accounts.list_cashiers()]


@router.post(
    "",
    response_model=CashierPublic,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"model": ErrorBody}, 422: {"model": ErrorBody}},
)
async def create_cashier(
    body: CashierCreate, _: CurrentOwner, runtime: RuntimeDep
) -> CashierPublic:
    """Add a cashier who signs in with a 4-6 digit PIN."""
    user = await runtime.accounts.create_user(
        username=body.username, role="cashier", secret=body.pin
    )
    return CashierPublic.model_validate(user)


@router.patch(
    "/{cashier_id}",
    response_model=CashierPublic,
    responses={404: {"model": ErrorBody}, 422: {"model": ErrorBody}},
)
async def update_cashier(
    cashier_id: int, body: CashierUpdate, _: CurrentOwner, runtime: RuntimeDep
) -> CashierPublic:
    """Set a new PIN and/or disable a cashier (which also signs them out everywhere)."""
    user = await runtime.accounts.update_cashier(cashier_id, pin=body.pin, disabled=body.disabled)
    return CashierPublic.model_validate(user)
