"""The typed client's money methods against the real backend and simulator."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import pytest

from backend_client import (
    DukaClient,
    Forbidden,
    ServerError,
    SyncDukaClient,
    models,
    new_idempotency_key,
)
from tests.money.helpers import paid_payment
from tests.support.backend_fixtures import OWNER, OWNER_PASSWORD, RunningBackend


async def _until(check: Callable[[], Any], within: float = 15.0) -> Any:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        value = await check()
        if value or loop.time() > deadline:
            return value
        await asyncio.sleep(0.05)


async def test_owner_tools_through_the_client(shop: RunningBackend) -> None:
    payment = await paid_payment(shop.client(shop.owner_token), 640)
    async with DukaClient(shop.url) as client:
        await client.sign_in(OWNER, OWNER_PASSWORD)
        key = new_idempotency_key()
        first = await client.refund_payment(payment["id"], amount=40, idempotency_key=key)
        again = await client.refund_payment(payment["id"], amount=40, idempotency_key=key)
        assert first.id == again.id and first.method == "b2c"

        async def refunded() -> bool:
            return (await client.payment_refunds(payment["id"]))[-1].status == "refunded"

        assert await _until(refunded)
        balance = await client.balance()
        assert any(a.name == "Utility Account" for a in balance.accounts)
        verdict = await client.verify_receipt(payment["receipt"])
        assert verdict.verdict == "genuine" and verdict.amount == 640

        draft = await client.create_payout(
            models.PayoutCreate(kind="b2c", purpose="salary", phone="0711222333", amount=300),
            idempotency_key=new_idempotency_key(),
        )
        assert draft.status == "awaiting_confirmation"
        await client.confirm_payout(draft.id)

        async def paid() -> bool:
            return (await client.payout(draft.id)).status == "paid"

        assert await _until(paid)
        day = await client.money_day()
        assert (day.takings, day.refunds, day.payouts) == (640, 40, 300)
        assert (await client.payouts()).used_today == 300
        assert [e.action for e in await client.audit(action="payout")][:1] == ["payout.result"]


async def test_client_shows_mpesa_refusal_in_plain_words(
    money_backend: Callable[..., Any],
) -> None:
    shop: RunningBackend = await money_backend(initiator_password="wrong-one")
    _, pin_token = await shop.cashier("baraka", "5555")
    async with DukaClient(shop.url) as client:
        await client.sign_in(OWNER, OWNER_PASSWORD)
        with pytest.raises(ServerError) as info:
            await client.balance()
        assert "2001" in info.value.user_message and info.value.http_status == 502
    async with DukaClient(shop.url) as cashier:
        await cashier.sign_in("baraka", "5555")
        with pytest.raises(Forbidden):
            await cashier.refunds()
        verdict = await cashier.verify_receipt("NOPE000000")
        assert verdict.verdict in ("not_found", "unknown")
    assert pin_token


def _sync_refund_and_day(url: str, payment_id: int) -> tuple[str, str, int, str]:
    """Blocking calls, as a script would make them (run off the test's event loop)."""
    with SyncDukaClient(url) as client:
        client.sign_in(OWNER, OWNER_PASSWORD)
        refund = client.refund_payment(payment_id, idempotency_key=new_idempotency_key())
        for _ in range(300):
            if client.payment_refunds(payment_id)[-1].status == "refunded":
                break
            time.sleep(0.05)
        verdict = client.verify_receipt(str(client.payment(payment_id).receipt))
        return (
            refund.method,
            client.refunds(limit=1)[0].status,
            client.money_day().net,
            verdict.verdict,
        )


async def test_sync_facade_reaches_the_money_tools(shop: RunningBackend) -> None:
    payment = await paid_payment(shop.client(shop.owner_token), 180)
    answer = await asyncio.to_thread(_sync_refund_and_day, shop.url, payment["id"])
    assert answer == ("reversal", "refunded", 0, "genuine")
