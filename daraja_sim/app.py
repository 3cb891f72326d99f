"""`create_app`: the simulator as one ASGI app (a Starlette subclass; state at `app.state.sim`).

HTTP requests skip Starlette's router and go straight to our `Router` (see web.py for why);
Starlette still runs the lifespan, which closes the callback pool and cancels timers on shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette

from daraja_sim import b2b, b2c, balance, qr, reversal, status
from daraja_sim.clock import daraja_timestamp
from daraja_sim.config import SimConfig
from daraja_sim.control import Control
from daraja_sim.errors import PAYLOAD_TOO_LARGE, DarajaError
from daraja_sim.faults import KINDS
from daraja_sim.phone import PhonePages
from daraja_sim.simulator import Simulator
from daraja_sim.web import (
    BodyTooLarge,
    Handler,
    Request,
    Response,
    Router,
    error_response,
    internal_error,
    read_body,
    send_response,
)


def _api_routes(sim: Simulator) -> list[tuple[str, str, Handler]]:
    """Return Daraja's own endpoints (REFERENCE.md §1 endpoint map)."""

    def bind(func: Any, *args: Any) -> Handler:
        async def handler(request: Request) -> Response:
            return await func(sim, request, *args)  # type: ignore[no-any-return]

        return handler

    def c2b_register(version: int) -> Handler:
        return lambda request: sim.c2b.register(request, version)

    def c2b_simulate(version: int) -> Handler:
        return lambda request: sim.c2b.simulate(request, version)

    return [
        ("GET", "/oauth/v1/generate", sim.tokens.generate),
        ("POST", "/mpesa/stkpush/v1/processrequest", sim.stk.push),
        ("POST", "/mpesa/stkpushquery/v1/query", sim.stk.query),
        ("POST", "/mpesa/c2b/v1/registerurl", c2b_register(1)),
        ("POST", "/mpesa/c2b/v2/registerurl", c2b_register(2)),
        ("POST", "/mpesa/c2b/v1/simulate", c2b_simulate(1)),
        ("POST", "/mpesa/c2b/v2/simulate", c2b_simulate(2)),
        ("POST", "/mpesa/b2c/v1/paymentrequest", bind(b2c.payment_request, 1)),
        ("POST", "/mpesa/b2c/v3/paymentrequest", bind(b2c.payment_request, 3)),
        ("POST", "/mpesa/b2b/v1/paymentrequest", bind(b2b.payment_request)),
        ("POST", "/mpesa/transactionstatus/v1/query", bind(status.query)),
        ("POST", "/mpesa/accountbalance/v1/query", bind(balance.query)),
        ("POST", "/mpesa/reversal/v1/request", bind(reversal.request)),
        ("POST", "/mpesa/qrcode/v1/generate", bind(qr.generate)),
    ]


class SimApp(Starlette):
    """The simulator's ASGI app."""

    def __init__(self, config: SimConfig) -> None:
        sim = Simulator(config)

        @contextlib.asynccontextmanager
        async def lifespan(app: Starlette) -> AsyncIterator[None]:
            yield
            await sim.aclose()

        super().__init__(lifespan=lifespan)
        self.state.sim = sim
        self.sim = sim
        self.router_ = Router()
        self._api_paths: set[str] = set()
        for method, path, handler in _api_routes(sim):
            self.router_.add(method, path, handler)
            self._api_paths.add(path)
        Control(sim).mount(self.router_)
        pages = PhonePages(sim)
        self.router_.add("GET", "/phone", pages.index)
        self.router_.add("GET", "/phone/", pages.index)
        self.router_.add("GET", "/phone/*", pages.handle)
        self.router_.add("POST", "/phone/*", pages.handle)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Serve HTTP ourselves; leave lifespan (and anything else) to Starlette."""
        if scope["type"] == "http":
            await self._http(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)

    async def _http(self, scope: Any, receive: Any, send: Any) -> None:
        sim = self.sim
        method: str = scope["method"]
        path: str = scope["path"]
        is_api = path in self._api_paths
        request: Request | None = None
        try:
            handler, tail = self.router_.resolve(method, path)
            body = await read_body(receive, sim.config.max_body_bytes)
            headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
            query = scope.get("query_string", b"").decode("latin-1")
            request = Request(method, path, query, headers, body, {"tail": tail} if tail else {})
            response = await (self._api(handler, request) if is_api else handler(request))
        except BodyTooLarge:
            response = error_response(PAYLOAD_TOO_LARGE, sim.ids.request_id())
        except DarajaError as exc:
            response = error_response(exc, sim.ids.request_id())
        except Exception as exc:
            response = error_response(internal_error(exc), sim.ids.request_id())
        if is_api:
            logged: Any = None
            if request is not None:
                logged = request.parsed
                if logged is None and request.body:
                    logged = request.body[:2048].decode("utf-8", "replace")
            sim.activity.record_received(
                daraja_timestamp(sim.now()), method, path, logged, response.status
            )
        await send_response(send, response)

    async def _api(self, handler: Handler, request: Request) -> Response:
        faults = self.sim.faults
        delay = faults.delay_for(request.path)
        if delay:
            await asyncio.sleep(delay)
        fault = faults.take(request.path)
        if fault is not None and (error := KINDS[fault.kind]) is not None:
            raise error
        response = await handler(request)
        if fault is not None:
            # A timeout happens after Daraja acted: the push went out, only the answer is late.
            await asyncio.sleep(fault.seconds)
        return response


def create_app(config: SimConfig | None = None) -> SimApp:
    """Build a simulator app; its state (`app.state.sim`) lives as long as the app."""
    return SimApp(config or SimConfig())
