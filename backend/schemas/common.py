"""Bodies shared by every route: errors and health."""

from __future__ import annotations

from pydantic import BaseModel


class ErrorBody(BaseModel):
    """Every 4xx/5xx answer: a stable `code` and a `detail` a cashier can act on."""

    code: str
    detail: str


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    database: bool
    daraja: bool
    detail: str = ""
