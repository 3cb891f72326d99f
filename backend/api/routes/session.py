"""Sign in and out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status

from backend.api.deps import CurrentUser, RuntimeDep, bearer_token
from backend.schemas import ErrorBody, SessionCreate, SessionPublic

router = APIRouter(prefix="/v1/session", tags=["session"])


@router.post(
    "",
    response_model=SessionPublic,
    responses={401: {"model": ErrorBody}, 429: {"model": ErrorBody}},
)
async def sign_in(body: SessionCreate, runtime: RuntimeDep) -> SessionPublic:
    """Exchange a username and password (owner) or PIN (cashier) for a bearer token."""
    session = await runtime.accounts.sign_in(username=body.username, secret=body.secret)
    return SessionPublic(
        token=session.token,
        role=session.user.role,  # type: ignore[arg-type]
        user_id=session.user.id,
        username=session.user.username,
        expires_at=session.expires_at,
    )


@router.delete("", status_code=status.HTTP_204_NO_CONTENT)
async def sign_out(
    _: CurrentUser, runtime: RuntimeDep, token: Annotated[str, Depends(bearer_token)]
) -> None:
    """Revoke this session's token."""
    await runtime.accounts.sign_out(token)
