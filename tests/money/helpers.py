"""Waits shared by the money tests: poll the backend, never sleep long."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx

from tests.backend.helpers import pay, wait_status, wait_until
from tests.support.backend_fixtures import PAYS


async def paid_payment(
    http: httpx.AsyncClient, amount: int, phone: str = PAYS, within: float = 15.0
) -> dict[str, Any]:
    """Charge a scripted phone that pays; wait until the payment is paid and has its receipt.

    A refund or a check names the sale by its receipt. On a loaded box the reconciler's query
    (which carries no receipt) can settle the sale before the callback, which then adds it.
    """
    created = await pay(http, amount, phone)
    assert created.status_code == 201, created.text
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    payment = await wait_status(http, created.json()["id"], "paid", within=within)
    while not payment["receipt"]:
        assert loop.time() < deadline, f"paid but never got its receipt: {payment}"
        await asyncio.sleep(0.05)
        payment = (await http.get(f"/v1/payments/{payment['id']}")).json()
    return payment


async def refund(
    http: httpx.AsyncClient, payment_id: int, amount: int | None = None, key: str | None = None
) -> httpx.Response:
    body = {} if amount is None else {"amount": amount}
    return await http.post(
        f"/v1/payments/{payment_id}/refund",
        json=body,
        headers={"Idempotency-Key": key or uuid.uuid4().hex},
    )


async def wait_refund(
    http: httpx.AsyncClient, payment_id: int, *statuses: str, within: float = 15.0
) -> dict[str, Any]:
    """Poll a payment's latest refund until it reaches one of `statuses`."""

    async def latest() -> dict[str, Any]:
        answer = await http.get(f"/v1/payments/{payment_id}/refunds")
        items: list[dict[str, Any]] = answer.json()["items"]
        return items[-1] if items else {}

    return await wait_until(latest, statuses, within, f"refund of payment {payment_id}")


async def payout(http: httpx.AsyncClient, key: str | None = None, **body: Any) -> httpx.Response:
    return await http.post(
        "/v1/payouts", json=body, headers={"Idempotency-Key": key or uuid.uuid4().hex}
    )


async def wait_payout(
    http: httpx.AsyncClient, payout_id: int, *statuses: str, within: float = 15.0
) -> dict[str, Any]:
    async def read() -> dict[str, Any]:
        body: dict[str, Any] = (await http.get(f"/v1/payouts/{payout_id}")).json()
        return body

    return await wait_until(read, statuses, within, f"payout {payout_id}")
