"""Daraja's callbacks, under a long random path segment nobody can guess.

Daraja signs nothing, so the secret path (and optionally the source IP) is what keeps strangers
out. Each handler stores the body before answering and always answers in the shape Daraja
expects (REFERENCE.md §4.2, §6.3), quickly, even for a body it cannot read.
"""

from __future__ import annotations

import ipaddress
import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from backend.core.security import same_secret
from backend.daraja import CallbackParseError, parse_c2b_notification
from backend.runtime import Runtime

log = logging.getLogger(__name__)
router = APIRouter(prefix="/callbacks/{secret}", include_in_schema=False)
ACCEPTED = {"ResultCode": 0, "ResultDesc": "Accepted"}


def _refused() -> JSONResponse:
    return JSONResponse({"code": "not_found", "detail": "Not found."}, status_code=404)


def client_ip(request: Request, runtime: Runtime) -> str:
    """The caller's IP, believing X-Forwarded-For only when it comes from a trusted proxy."""
    peer = request.client.host if request.client else ""
    trusted = set(runtime.settings.trusted_proxies)
    if peer not in trusted:
        return peer
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    for hop in reversed(hops):  # the right-most address no trusted proxy vouches for
        if hop not in trusted:
            return hop
    return peer


def _allowed(ip: str, runtime: Runtime) -> bool:
    allowed = runtime.settings.callback_allowed_ips
    if not allowed:
        return True
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in allowed)


def _gate(request: Request, secret: str) -> tuple[Runtime, str] | None:
    runtime: Runtime = request.app.state.runtime
    if not same_secret(secret, runtime.callback_secret):
        return None
    ip = client_ip(request, runtime)
    if not _allowed(ip, runtime):
        log.warning("callback refused from an address not on the allow-list")
        return None
    return runtime, ip


@router.post("/stk")
async def stk_callback(secret: str, request: Request) -> JSONResponse:
    gate = _gate(request, secret)
    if gate is None:
        return _refused()
    runtime, ip = gate
    await runtime.callbacks.stk(await request.body(), ip)
    return JSONResponse(ACCEPTED)


@router.post("/c2b/confirmation")
async def c2b_confirmation(secret: str, request: Request) -> JSONResponse:
    gate = _gate(request, secret)
    if gate is None:
        return _refused()
    runtime, ip = gate
    await runtime.callbacks.c2b_confirmation(await request.body(), ip)
    return JSONResponse({"ResultCode": 0, "ResultDesc": "Success"})


@router.post("/c2b/validation")
async def c2b_validation(secret: str, request: Request) -> JSONResponse:
    gate = _gate(request, secret)
    if gate is None:
        return _refused()
    runtime, _ = gate
    try:
        note = parse_c2b_notification(await request.body())
    except CallbackParseError:
        return JSONResponse({"ResultCode": "C2B00016", "ResultDesc": "Rejected"})
    code, desc = runtime.callbacks.c2b_validation(note)
    return JSONResponse({"ResultCode": code, "ResultDesc": desc})


@router.post("/result")
async def result_callback(secret: str, request: Request) -> JSONResponse:
    return await _store_only(secret, request, "result")


@router.post("/timeout")
async def timeout_callback(secret: str, request: Request) -> JSONResponse:
    return await _store_only(secret, request, "timeout")


async def _store_only(secret: str, request: Request, kind: str) -> JSONResponse:
    """Initiator Results and timeout notices: stored, then applied by the money tools."""
    gate = _gate(request, secret)
    if gate is None:
        return _refused()
    _, ip = gate
    await request.app.state.money.receive(kind, await request.body(), ip)
    return JSONResponse(ACCEPTED)
