"""One sale, one PIN prompt: double taps and retries reuse the sale's Idempotency-Key.

Checked where it matters, at the simulator: it lists every STK Push it received.
"""

from __future__ import annotations

import asyncio
from typing import Any

from app.viewmodels.payment import PaymentState
from app.viewmodels.shell import AppViewModel
from backend_client.client import DukaClient
from backend_client.tokens import MemoryTokenStore
from tests.app.test_flows_against_backend import signed_in
from tests.app.waiting import until
from tests.support.backend_fixtures import CANCELS, PAYS

STK_PUSH = "/mpesa/stkpush/v1/processrequest"


async def pushes(sim_control: Any) -> int:
    return len(await sim_control.received(STK_PUSH))


async def test_a_double_tap_prompts_the_customer_once(backend: Any, sim_control: Any) -> None:
    await backend.cashier("imani", "2580")
    async with signed_in(backend.url, "imani", "2580") as app:
        app.charge.set_amount_text("75")
        app.charge.set_phone(PAYS)
        first, second = await asyncio.gather(app.charge_customer(), app.charge_customer())
        assert first is not None and second is None  # the second tap found the sale sending
        # A tap that arrives after the answer (a slow screen) shows the same sale.
        late = await app.charge_customer()
        assert late is first and first.payment_id is not None
        await until(first, lambda: first.finished)
        assert first.state is PaymentState.PAID
        assert await pushes(sim_control) == 1


async def test_a_retry_after_a_timeout_prompts_the_customer_once(
    backend_factory: Any, sim_control: Any
) -> None:
    backend = await backend_factory(daraja_timeout_seconds=15.0)
    await backend.cashier("jabari", "3691")

    def impatient(url: str, store: Any) -> DukaClient:
        return DukaClient(url, token_store=store, timeout=1.5, payment_attempts=1)

    app = AppViewModel(token_store=MemoryTokenStore(), server=backend.url, client_factory=impatient)
    app.session.set_field("username", "jabari")
    app.session.set_field("secret", "3691")
    assert await app.sign_in(), app.session.error
    await sim_control.set_latency(4.0, STK_PUSH)  # Safaricom slow: the app gives up first
    app.charge.set_amount_text("90")
    app.charge.set_phone(PAYS)
    key = app.charge.intent_key
    timed_out = await app.charge_customer()
    assert timed_out is not None and timed_out.state is PaymentState.FAILED
    assert timed_out.error_message == "error.offline" and timed_out.payment_id is None

    app.open_charge()  # the Charge tab keeps the unanswered sale, key and all
    assert (app.route, app.charge.amount, app.charge.intent_key) == ("charge", 90, key)
    retried = await app.charge_customer()
    assert retried is not None and retried.payment_id is not None
    await sim_control.set_latency(0, STK_PUSH)
    async with asyncio.timeout(20):
        while not retried.finished:
            await app.refresh_payment()
            await asyncio.sleep(0.1)
    assert retried.state is PaymentState.PAID and retried.receipt
    assert await pushes(sim_control) == 1
    await app.sign_out()


async def test_try_again_after_a_cancel_is_a_new_prompt(backend: Any, sim_control: Any) -> None:
    await backend.cashier("kalani", "1470")
    async with signed_in(backend.url, "kalani", "1470") as app:
        app.charge.set_amount_text("80")
        app.charge.set_phone(CANCELS)
        key = app.charge.intent_key
        cancelled = await app.charge_customer()
        assert cancelled is not None
        await until(cancelled, lambda: cancelled.finished)
        again = await app.try_again()
        assert again is not None and app.charge.intent_key != key
        await until(again, lambda: again.finished)
        assert again.payment_id != cancelled.payment_id
        assert await pushes(sim_control) == 2
