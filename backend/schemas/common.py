"""Bodies shared by every route: errors and health."""

from __future__ import annotations

from pydantic import BaseModel, Field


class FieldError(BaseModel):
    """One refused input field and what to do about it."""

    field: str = Field(description="Dotted name of the field, e.g. `amount` or `items.0.phone`.")
    message: str


class ErrorBody(BaseModel):
    """Every 4xx/5xx answer: a stable `code` and a `detail` a cashier can act on.

    A refused input also names the `field` to fix (the first), and `fields` lists every one, so an
    app can put each message under its box; both are left out when no one field is to blame.
    """

    code: str
    detail: str
    field: str | None = None
    fields: list[FieldError] | None = None


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    database: bool
    daraja: bool
    detail: str = ""
