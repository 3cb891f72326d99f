"""The FastAPI application factory: `create_app(settings)`; nothing is built at import time."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI

from backend.api.errors import install_error_handlers
from backend.api.limits import BodySizeLimit
from backend.api.routes import (
    callbacks,
    cashiers,
    events,
    flags,
    health,
    money,
    payments,
    payouts,
    refunds,
    session,
    takings,
    till,
)
from backend.core.clock import Clock
from backend.core.config import Settings
from backend.runtime import Runtime
from backend.services.money import MoneyTools

log = logging.getLogger(__name__)


def create_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    daraja_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """Build the backend for these settings; services start in the app's lifespan."""
    runtime = Runtime(settings, clock=clock, daraja_transport=daraja_transport)
    money_tools = MoneyTools(runtime)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        await money_tools.start()
        log.info("backend ready; Daraja calls back on %s", settings.public_url)
        try:
            yield
        finally:
            await money_tools.stop()
            await runtime.stop()

    app = FastAPI(
        title="Duka backend",
        version="1",
        summary="Holds the Daraja secrets; cashiers' and owners' devices talk only to it.",
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    app.state.money = money_tools
    install_error_handlers(app)
    # Callbacks first: Daraja's POSTs are the hottest path, and routes are matched in order.
    for module in (callbacks, health, session, cashiers, payments, events, takings, till, flags):
        app.include_router(module.router)
    for module in (refunds, payouts, money):
        app.include_router(module.router)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    return app
