"""Turn every failure into a 4xx/5xx `ErrorBody`; never a traceback, never a secret."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from backend.errors import BackendError

log = logging.getLogger(__name__)


def error_response(status: int, code: str, detail: str) -> JSONResponse:
    return JSONResponse({"code": code, "detail": detail}, status_code=status)


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts)


def _validation_message(exc: RequestValidationError) -> tuple[int, str, str]:
    errors = exc.errors()
    first = errors[0] if errors else {}
    kind = str(first.get("type", ""))
    if kind == "json_invalid":
        return 400, "invalid_json", "The request body is not valid JSON."
    field = _field_name(tuple(first.get("loc", ())))
    message = str(first.get("msg", "Invalid input."))
    message = message.removeprefix("Value error, ")
    if kind == "missing":
        message = f"'{field}' is required." if field else "Something required is missing."
    elif kind in ("model_attributes_type", "dict_type"):
        message = "The request body must be a JSON object."
    elif field and not message.endswith("."):
        message = f"{field}: {message}."
    elif field and kind != "value_error":
        message = f"{field}: {message}"
    return 422, "invalid_input", message


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(BackendError)
    async def _ours(_: Request, exc: BackendError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        status, code, message = _validation_message(exc)
        return error_response(status, code, message)

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
