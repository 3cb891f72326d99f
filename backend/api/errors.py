"""Turn every failure into a 4xx/5xx `ErrorBody`; never a traceback, never a secret."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from backend.errors import BackendError

log = logging.getLogger(__name__)


def error_response(
    status: int, code: str, detail: str, fields: list[tuple[str, str]] | None = None
) -> JSONResponse:
    """The `ErrorBody`; `fields` are (field, message) pairs, the first one the field to fix."""
    body: dict[str, Any] = {"code": code, "detail": detail}
    if fields:
        body["field"] = fields[0][0]
        body["fields"] = [{"field": name, "message": message} for name, message in fields]
    return JSONResponse(body, status_code=status)


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts)


def _field_message(error: Mapping[str, Any]) -> tuple[str, str]:
    """One pydantic error as (field, a sentence a cashier can act on)."""
    kind = str(error.get("type", ""))
    field = _field_name(tuple(error.get("loc", ())))
    message = str(error.get("msg", "Invalid input.")).removeprefix("Value error, ")
    if kind == "missing":
        message = f"'{field}' is required." if field else "Something required is missing."
    elif kind in ("model_attributes_type", "dict_type"):
        message = "The request body must be a JSON object."
    elif field and not message.endswith("."):
        message = f"{field}: {message}."
    elif field and kind != "value_error":
        message = f"{field}: {message}"
    return field, message


def _validation_message(exc: RequestValidationError) -> tuple[int, str, str, list[tuple[str, str]]]:
    errors = exc.errors()
    if errors and str(errors[0].get("type", "")) == "json_invalid":
        return 400, "invalid_json", "The request body is not valid JSON.", []
    described = [_field_message(error) for error in errors]
    detail = described[0][1] if described else "Invalid input."
    seen: set[str] = set()
    fields = []
    for field, message in described:  # one message per field: the first is the one to fix
        if field and field not in seen:
            seen.add(field)
            fields.append((field, message))
    return 422, "invalid_input", detail, fields


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(BackendError)
    async def _ours(_: Request, exc: BackendError) -> JSONResponse:
        fields = [(exc.field, exc.message)] if exc.field else None
        return error_response(exc.status, exc.code, exc.message, fields)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        status, code, message, fields = _validation_message(exc)
        return error_response(status, code, message, fields)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        detail = exc.detail if isinstance(exc.detail, str) else "Request refused."
        if exc.status_code == 404:
            detail = "Not found."
        return error_response(exc.status_code, code, detail)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        # Log the type only: messages from drivers can quote SQL parameters or URLs.
        log.error("unexpected %s while serving a request", type(exc).__name__)
        return error_response(
            500, "internal_error", "Something went wrong on the server. Please try again."
        )
