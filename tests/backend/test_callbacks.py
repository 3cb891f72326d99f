"""Daraja callbacks posted straight at the backend: idempotent, stored, matched, refused."""

from __future__ import annotations

import json
from typing import Any

import httpx
from sqlalchemy import select

from backend.models import CallbackRecord
from daraja_sim import SimController
from tests.backend.helpers import pay, wait_status
from tests.support.backend_fixtures import CALLBACK_SECRET, RunningBackend


def stk_body(checkout: str, code: int = 0, amount: int = 10, phone: int = 254711000111) -> Any:
    callback: dict[str, Any] = {
        "MerchantRequestID": "29115-34620561-1",
        "CheckoutRequestID": checkout,
        "ResultCode": code,
        "ResultDesc": "The service request is processed successfully." if code == 0 else "x",
    }
    if code == 0:
        callback["CallbackMetadata"] = {
            "Item": [
                {"Name": "Amount", "Value": amount},
                {"Name": "MpesaReceiptNumber", "Value": f"SLJ{checkout[-7:]}"},
                {"Name": "TransactionDate", "Value": 20261204102115},
                {"Name": "PhoneNumber", "Value": phone},
            ]
        }
    return {"Body": {"stkCallback": callback}}


def c2b_body(trans_id: str, amount: str = "150.00", shortcode: str = "174379") -> Any:
    return {
        "TransactionType": "Buy Goods",
        "TransID": trans_id,
        "TransTime": "20261204121325",
        "TransAmount": amount,
        "BusinessShortCode": shortcode,
        "BillRefNumber": "",
        "InvoiceNumber": "",
        "OrgAccountBalance": "25.00",
        "ThirdPartyTransID": "",
        "MSISDN": "2547 ***** 126",
        "FirstName": "NICHOLAS",
        "MiddleName": "",
        "LastName": "",
    }


async def stored_callbacks(backend: RunningBackend) -> list[CallbackRecord]:
    async with backend.db() as session:
        return list(await session.scalars(select(CallbackRecord).order_by(CallbackRecord.id)))


async def _interactive_payment(backend: RunningBackend, amount: int) -> tuple[int, str]:
    """A payment to an interactive simulator phone: stays pending until we post its callback."""
    http = backend.client(backend.owner_token)
    created = (await pay(http, amount, "0711 000 111")).json()
    return created["id"], await backend.checkout_id(created["id"])


async def test_duplicate_callbacks_never_change_a_total(backend: RunningBackend) -> None:
    payment_id, checkout = await _interactive_payment(backend, 10)
    raw = httpx.AsyncClient(base_url=backend.url, trust_env=False)
    for _ in range(3):
        answer = await raw.post(f"/callbacks/{CALLBACK_SECRET}/stk", json=stk_body(checkout))
        assert answer.status_code == 200
        assert answer.json() == {"ResultCode": 0, "ResultDesc": "Accepted"}
    owner = backend.client(backend.owner_token)
    assert (await wait_status(owner, payment_id, "paid"))["receipt"] == f"SLJ{checkout[-7:]}"
    takings = (await owner.get("/v1/takings")).json()
    assert (takings["total"], takings["count"]) == (10, 1)
    outcomes = [r.outcome for r in await stored_callbacks(backend)]
    assert outcomes == ["applied", "duplicate", "duplicate"]
    # A late "cancelled" for the same request cannot undo the payment.
    await raw.post(f"/callbacks/{CALLBACK_SECRET}/stk", json=stk_body(checkout, code=1032))
    assert (await owner.get(f"/v1/payments/{payment_id}")).json()["status"] == "paid"
    await raw.aclose()


async def test_mismatched_amount_is_flagged_not_counted(backend: RunningBackend) -> None:
    payment_id, checkout = await _interactive_payment(backend, 500)
    async with httpx.AsyncClient(base_url=backend.url, trust_env=False) as raw:
        await raw.post(f"/callbacks/{CALLBACK_SECRET}/stk", json=stk_body(checkout, amount=5))
    owner = backend.client(backend.owner_token)
    payment = (await owner.get(f"/v1/payments/{payment_id}")).json()
    assert payment["status"] == "unknown" and payment["flagged"]
    assert "amount" in payment["flag_reason"]
    assert (await owner.get("/v1/takings")).json()["total"] == 0


async def test_unknown_and_unreadable_callbacks_are_stored_and_flagged(
    backend: RunningBackend,
) -> None:
    async with httpx.AsyncClient(base_url=backend.url, trust_env=False) as raw:
        unknown = await raw.post(
            f"/callbacks/{CALLBACK_SECRET}/stk", json=stk_body("ws_CO_nobody_asked_for_this")
        )
        garbage = await raw.post(f"/callbacks/{CALLBACK_SECRET}/stk", content=b"\xff{not json")
        wrong_shape = await raw.post(f"/callbacks/{CALLBACK_SECRET}/stk", json={"Body": 3})
    for answer in (unknown, garbage, wrong_shape):
        assert answer.status_code == 200
        assert answer.json()["ResultCode"] == 0
    records = await stored_callbacks(backend)
    assert [r.outcome for r in records] == ["unmatched", "unreadable", "unreadable"]
    assert all(r.flagged for r in records[1:])


async def test_wrong_secret_path_is_refused_and_changes_nothing(backend: RunningBackend) -> None:
    async with httpx.AsyncClient(base_url=backend.url, trust_env=False) as raw:
        for kind in ("stk", "c2b/confirmation", "c2b/validation", "result", "timeout"):
            answer = await raw.post(f"/callbacks/not-the-secret/{kind}", json=c2b_body("RKL1"))
            assert answer.status_code == 404
    assert await stored_callbacks(backend) == []
    owner = backend.client(backend.owner_token)
    assert (await owner.get("/v1/payments")).json()["items"] == []


async def test_c2b_confirmation_counts_once_for_the_till(backend: RunningBackend) -> None:
    _, token = await backend.cashier()
    async with httpx.AsyncClient(base_url=backend.url, trust_env=False) as raw:
        url = f"/callbacks/{CALLBACK_SECRET}/c2b/confirmation"
        for _ in range(2):
            answer = await raw.post(url, content=json.dumps(c2b_body("RKL51ZDR4F")))
            assert answer.json() == {"ResultCode": 0, "ResultDesc": "Success"}
        validation = await raw.post(
            f"/callbacks/{CALLBACK_SECRET}/c2b/validation", json=c2b_body("RKL51ZDR4G")
        )
        assert validation.json() == {"ResultCode": "0", "ResultDesc": "Accepted"}
        foreign = await raw.post(
            f"/callbacks/{CALLBACK_SECRET}/c2b/validation",
            json=c2b_body("RKL51ZDR4H", shortcode="999999"),
        )
        assert foreign.json()["ResultCode"] == "C2B00015"
    cashier = backend.client(token)
    items = (await cashier.get("/v1/payments")).json()["items"]
    assert len(items) == 1
    assert items[0]["channel"] == "till" and items[0]["status"] == "paid"
    assert items[0]["phone"] == "2547••••126" and items[0]["receipt"] == "RKL51ZDR4F"
    takings = (await backend.client(backend.owner_token).get("/v1/takings")).json()
    assert (takings["total"], takings["count"]) == (150, 1)
    assert takings["by_channel"][0]["label"] == "Paid to till / QR"


async def test_simulated_till_payment_reaches_the_feed(
    backend_factory: object, sim_control: SimController
) -> None:
    backend = await backend_factory(shortcode="300300", till_number="300301")  # type: ignore[operator]
    await backend.runtime.daraja().register_c2b_urls(
        confirmation_url=backend.callback_url("c2b/confirmation"),
        validation_url=backend.callback_url("c2b/validation"),
        shortcode="300301",
    )
    await sim_control.pay("300301", "254708374149", 320)
    owner = backend.client(backend.owner_token)
    items = (await owner.get("/v1/payments")).json()["items"]
    assert [(p["channel"], p["status"], p["amount"]) for p in items] == [("till", "paid", 320)]
