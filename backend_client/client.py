"""`DukaClient`: every backend route as one typed async method.

Configuration is passed, never global: `base_url`, `token_store` and `transport` are the seams
tests use. One pooled httpx client serves every call, the event stream included.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import uuid
from collections.abc import AsyncGenerator, Callable
from typing import Any, Self

import httpx

from backend_client import models
from backend_client._http import HttpCore
from backend_client._http import decode_model as _decode
from backend_client._urls import check_base_url
from backend_client.errors import AuthExpired, InvalidInput, NetworkError, ServerError
from backend_client.events import (
    ConnectionState,
    Event,
    StateTracker,
    StreamOptions,
    follow,
)
from backend_client.money import MoneyMethods
from backend_client.tokens import MemoryTokenStore, TokenStore

__all__ = ["DukaClient", "new_idempotency_key"]


def new_idempotency_key() -> str:
    """Return a fresh key for one payment intent (one cashier tap on Charge)."""
    return uuid.uuid4().hex


class DukaClient(MoneyMethods):
    """Async client for the Duka backend; use one per app, and `aclose()` it (or `async with`).

    `allow_insecure=True` permits plain http:// to a public host (never do that in a shop).
    `payment_attempts` bounds how often `request_payment` resends after no answer — always with
    the same `Idempotency-Key`, so the customer is prompted at most once.
    """

    def __init__(
        self,
        base_url: str,
        *,
        token_store: TokenStore | None = None,
        allow_insecure: bool = False,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 15.0,
        stream: StreamOptions | None = None,
        on_state: Callable[[ConnectionState], None] | None = None,
        payment_attempts: int = 3,
        rng: random.Random | None = None,
    ) -> None:
        self.base_url = check_base_url(base_url, allow_insecure=allow_insecure)
        self.stream_options = stream or StreamOptions()
        self._http = HttpCore(
            self.base_url,
            token_store=token_store or MemoryTokenStore(),
            transport=transport,
            timeout=timeout,
        )
        self._state = StateTracker()
        if on_state is not None:
            self._state.subscribe(on_state)
        self._payment_attempts = max(1, payment_attempts)
        self._rng = rng
        self._in_flight: dict[str, asyncio.Future[models.PaymentPublic]] = {}
        self.last_event_id: int | None = None

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close pooled connections (any open event stream ends)."""
        await self._http.aclose()

    @property
    def token_store(self) -> TokenStore:
        return self._http.token_store

    # -- connection state -------------------------------------------------------------------

    @property
    def connection_state(self) -> ConnectionState:
        """State of the live feed: CONNECTED, RECONNECTING, or OFFLINE (also before `events`)."""
        return self._state.state

    def on_connection_state(
        self, listener: Callable[[ConnectionState], None]
    ) -> Callable[[], None]:
        """Call `listener(state)` on every change of `connection_state`; returns unsubscribe."""
        return self._state.subscribe(listener)

    # -- session ----------------------------------------------------------------------------

    async def sign_in(self, username: str, secret: str) -> models.SessionPublic:
        """Sign in with an owner's password or a cashier's PIN; keeps only the token.

        Wrong credentials raise `InvalidInput` (with the backend's words), not `AuthExpired`.
        """
        body = models.SessionCreate(username=username, secret=secret).to_json()
        try:
            data = await self._http.json("POST", "/v1/session", json_body=body, auth=False)
        except AuthExpired as exc:
            raise InvalidInput(
                exc.user_message
                if exc.body
                else "Wrong username or PIN. Check them and try again.",
                code=exc.code,
                http_status=exc.http_status,
                body=exc.body,
            ) from exc
        session = _decode(models.SessionPublic.from_json, data)
        await self._http.set_token(session.token)
        return session

    async def sign_out(self) -> None:
        """Revoke the session on the backend (best effort) and forget the token here."""
        try:
            if await self._http.token() is not None:
                await self._http.request("DELETE", "/v1/session")
        except (NetworkError, AuthExpired):
            pass  # the token is forgotten locally either way
        finally:
            await self._http.set_token(None)

    async def has_session(self) -> bool:
        """True when a token is stored (it may still turn out to be expired)."""
        return await self._http.token() is not None

    # -- payments ---------------------------------------------------------------------------

    async def request_payment(
        self,
        *,
        amount: int,
        phone: str,
        reference: str | None = None,
        idempotency_key: str | None = None,
    ) -> models.PaymentPublic:
        """Prompt the customer's phone for their M-PESA PIN; returns the pending payment.

        Pass the same `idempotency_key` for the same intent (a double tap, a retry after
        `NetworkError` — every error carries the key it used): the backend answers with the
        first payment and never prompts twice. Resends after a lost answer reuse the key.

        A call that matches one still in flight here — same key, or with no key the same
        amount, phone and reference — waits for that call instead of sending again, so even a
        double tap with no key prompts once. Once the first call has finished, the same sale
        with no key is a new sale.
        """
        body = models.PaymentCreate(amount=amount, phone=phone, reference=reference).to_json()
        slot = idempotency_key or f"same-sale:{amount}:{phone}:{reference}"
        running = self._in_flight.get(slot)
        if running is not None:
            return await asyncio.shield(running)
        key = idempotency_key or new_idempotency_key()
        task = asyncio.ensure_future(self._send_payment(body, key))
        self._in_flight[slot] = task
        task.add_done_callback(lambda _: self._in_flight.pop(slot, None))
        return await asyncio.shield(task)

    async def _send_payment(self, body: dict[str, Any], key: str) -> models.PaymentPublic:
        data = await self._http.post_idempotent(
            "/v1/payments", body, key=key, attempts=self._payment_attempts
        )
        return _decode(models.PaymentPublic.from_json, data)

    async def payment(self, payment_id: int) -> models.PaymentPublic:
        """Return one payment as it is now (e.g. to check a pending one after reconnecting)."""
        data = await self._http.json("GET", f"/v1/payments/{int(payment_id)}")
        return _decode(models.PaymentPublic.from_json, data)

    async def payments(
        self,
        *,
        date: dt.date | None = None,
        status: str | None = None,
        q: str | None = None,
        limit: int | None = None,
    ) -> models.PaymentList:
        """List payments newest first (a cashier sees their own and the till's; owners all).

        `date` is an Africa/Nairobi day; `q` matches a receipt or the phone's last digits.
        """
        params = {
            "date": date.isoformat() if date else None,
            "status": status,
            "q": q,
            "limit": limit,
        }
        data = await self._http.json("GET", "/v1/payments", params=params)
        return _decode(models.PaymentList.from_json, data)

    # -- live feed --------------------------------------------------------------------------

    async def events(self, last_event_id: int | None = None) -> AsyncGenerator[Event, None]:
        """Yield live events after `last_event_id`, each exactly once, reconnecting by itself.

        Runs until the caller stops iterating; ends with `AuthExpired`/`Forbidden` only.
        `self.last_event_id` always holds the id of the last event yielded: store it to resume
        after an app restart.
        """
        resume = last_event_id if last_event_id is not None else self.last_event_id
        stream = follow(
            self._http,
            last_event_id=resume,
            options=self.stream_options,
            state=self._state,
            rng=self._rng,
        )
        try:
            async for event in stream:
                if event.id is not None:
                    self.last_event_id = event.id
                yield event
        finally:
            await stream.aclose()

    # -- takings ----------------------------------------------------------------------------

    async def takings(self, date: dt.date | None = None) -> models.TakingsDay:
        """A day's takings (an Africa/Nairobi day; today there when `date` is None)."""
        params = {"date": date.isoformat() if date else None}
        data = await self._http.json("GET", "/v1/takings", params=params)
        return _decode(models.TakingsDay.from_json, data)

    async def takings_csv(self, start: dt.date, end: dt.date) -> str:
        """Paid payments from `start` to `end` (Nairobi days, inclusive) as CSV text."""
        params = {"from": start.isoformat(), "to": end.isoformat()}
        response = await self._http.request("GET", "/v1/takings.csv", params=params)
        return response.text

    # -- flags ------------------------------------------------------------------------------

    async def flags(self, *, include_reviewed: bool = False) -> models.FlagList:
        """Payments and callbacks held back for the owner, newest first (owner only)."""
        params = {"include_reviewed": "true" if include_reviewed else None}
        data = await self._http.json("GET", "/v1/flags", params=params)
        return _decode(models.FlagList.from_json, data)

    async def resolve_flag(self, flag_id: str, note: str = "") -> models.FlagPublic:
        """Mark a flag reviewed, with what the owner found (owner only; audited; repeatable)."""
        body = models.FlagResolve(note=note).to_json()
        data = await self._http.json("POST", f"/v1/flags/{flag_id}/resolve", json_body=body)
        return _decode(models.FlagPublic.from_json, data)

    # -- team -------------------------------------------------------------------------------

    async def cashiers(self) -> list[models.CashierPublic]:
        """Every cashier of the shop (owner only)."""
        data = await self._http.json("GET", "/v1/cashiers")
        return _decode(lambda d: [models.CashierPublic.from_json(c) for c in d], data)

    async def add_cashier(self, username: str, pin: str) -> models.CashierPublic:
        """Create a cashier who signs in with a 4–6 digit PIN (owner only)."""
        body = models.CashierCreate(username=username, pin=pin).to_json()
        data = await self._http.json("POST", "/v1/cashiers", json_body=body)
        return _decode(models.CashierPublic.from_json, data)

    async def update_cashier(
        self, cashier_id: int, *, pin: str | None = None, disabled: bool | None = None
    ) -> models.CashierPublic:
        """Give a cashier a new PIN and/or disable or re-enable them (owner only)."""
        body = models.CashierUpdate(pin=pin, disabled=disabled).to_json()
        data = await self._http.json("PATCH", f"/v1/cashiers/{int(cashier_id)}", json_body=body)
        return _decode(models.CashierPublic.from_json, data)

    # -- till -------------------------------------------------------------------------------

    async def till(self) -> models.TillPublic:
        """What the app needs to draw the till's QR code and show its number."""
        data = await self._http.json("GET", "/v1/till")
        return _decode(models.TillPublic.from_json, data)

    async def till_qr_png(self, amount: int | None = None) -> bytes:
        """The till's QR as a PNG from Daraja's Dynamic QR API (when the backend has it)."""
        response = await self._http.request("GET", "/v1/till/qr.png", params={"amount": amount})
        return response.content

    # -- health -----------------------------------------------------------------------------

    async def health(self) -> models.Health:
        """Liveness: the backend process answers."""
        data = await self._http.json("GET", "/healthz", auth=False)
        return _decode(models.Health.from_json, data)

    async def ready(self) -> models.Readiness:
        """Readiness: database and Daraja reachable (a 503 still returns the details)."""
        try:
            data = await self._http.json("GET", "/readyz", auth=False)
        except ServerError as exc:
            if exc.http_status == 503 and isinstance(exc.body, dict):
                return _decode(models.Readiness.from_json, exc.body)
            raise
        return _decode(models.Readiness.from_json, data)
