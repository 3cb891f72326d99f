"""The till's details and QR."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from backend.api.deps import CurrentUser, RuntimeDep
from backend.schemas import ErrorBody, TillPublic

router = APIRouter(prefix="/v1/till", tags=["till"], responses={401: {"model": ErrorBody}})


@router.get("", response_model=TillPublic)
async def get_till(_: CurrentUser, runtime: RuntimeDep) -> TillPublic:
    """Name, till or paybill number, account rule and the KE-QR payload to draw."""
    return runtime.till.describe()


@router.get(
    "/qr.png",
    response_class=Response,
    responses={
        200: {"content": {"image/png": {}}},
        422: {"model": ErrorBody},
        503: {"model": ErrorBody},
    },
)
async def get_qr_png(
    _: CurrentUser,
    runtime: RuntimeDep,
    amount: Annotated[int | None, Query(ge=1, le=250_000)] = None,
) -> Response:
    """Daraja's Dynamic QR for an amount (when configured), cached."""
    png = await runtime.till.qr_png(amount)
    return Response(png, media_type="image/png", headers={"Cache-Control": "max-age=3600"})
