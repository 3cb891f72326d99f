"""Dependencies routes share: the runtime, the signed-in user, the owner check."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from backend.errors import Forbidden, NotAuthenticated
from backend.models import User
from backend.runtime import Runtime

_bearer = HTTPBearer(auto_error=False, description="The token from POST /v1/session.")


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def current_user(
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    if credentials is None or not credentials.credentials:
        raise NotAuthenticated("Please sign in.")
    return await runtime.accounts.user_for_token(credentials.credentials)


CurrentUser = Annotated[User, Depends(current_user)]


async def current_owner(user: CurrentUser) -> User:
    if user.role != "owner":
        raise Forbidden("Only the shop owner can do that.")
    return user


CurrentOwner = Annotated[User, Depends(current_owner)]


def bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    return credentials.credentials if credentials else ""
