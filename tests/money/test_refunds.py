"""Refunds end to end: reversal (full) and B2C (part), never more than paid, never twice."""

from __future__ import annotations

from daraja_sim import SimController
from tests.money.conftest import TILL
from tests.money.helpers import paid_payment, refund, wait_refund
from tests.support.backend_fixtures import PAYS, RunningBackend

REVERSAL_PATH = "/mpesa/reversal/v1/request"
B2C_PATH = "/mpesa/b2c/v3/paymentrequest"


async def test_full_refund_reverses_the_payment(
    shop: RunningBackend, sim_control: SimController
) -> None:
    http = shop.client(shop.owner_token)
    payment = await paid_payment(http, 250)
    before = await sim_control.balance(PAYS)
    answer = await refund(http, payment["id"])
    assert answer.status_code == 201, answer.text
    assert answer.json()["method"] == "reversal"
    done = await wait_refund(http, payment["id"], "refunded", "failed")
    assert done["status"] == "refunded", done
    assert done["amount"] == 250 and done["receipt"]
    assert await sim_control.balance(PAYS) == before + 250
    (sent,) = await sim_control.received(REVERSAL_PATH)
    assert "Safaricom999" not in str(sent)  # the password never leaves the backend in clear
    again = await refund(http, payment["id"])
    assert again.status_code == 409 and again.json()["code"] == "already_refunded"
    sale = (await http.get(f"/v1/payments/{payment['id']}")).json()
    assert sale["status"] == "paid" and sale["refunded"] == 250  # the sale shows the refund
    day = (await http.get("/v1/money/day")).json()
    assert day["takings"] == 250 and day["refunds"] == 250 and day["net"] == 0
    actions = [e["action"] for e in (await http.get("/v1/audit")).json()["items"]]
    assert "refund.requested" in actions and "refund.result" in actions


async def test_partial_refund_goes_back_by_b2c(
    shop: RunningBackend, sim_control: SimController
) -> None:
    http = shop.client(shop.owner_token)
    payment = await paid_payment(http, 500)
    till_before = await sim_control.balance(TILL)
    answer = await refund(http, payment["id"], 200)
    assert answer.status_code == 201, answer.text
    assert answer.json()["method"] == "b2c"
    done = await wait_refund(http, payment["id"], "refunded", "failed")
    assert done["status"] == "refunded", done
    assert await sim_control.balance(TILL) == till_before - 200
    second = await refund(http, payment["id"], 100)
    assert second.status_code == 409
    assert (await http.get(f"/v1/payments/{payment['id']}")).json()["refunded"] == 200


async def test_never_more_than_paid(shop: RunningBackend) -> None:
    http = shop.client(shop.owner_token)
    payment = await paid_payment(http, 300)
    too_much = await refund(http, payment["id"], 301)
    assert too_much.status_code == 422
    assert too_much.json()["code"] == "refund_too_large"
    assert "300" in too_much.json()["detail"]
    tiny = await refund(http, payment["id"], 5)
    assert tiny.status_code == 422 and tiny.json()["code"] == "refund_too_small"
    missing = await refund(http, 999_999)
    assert missing.status_code == 404


async def test_same_idempotency_key_refunds_once(
    shop: RunningBackend, sim_control: SimController
) -> None:
    http = shop.client(shop.owner_token)
    payment = await paid_payment(http, 120)
    first = await refund(http, payment["id"], key="refund-key-1")
    second = await refund(http, payment["id"], key="refund-key-1")
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    await wait_refund(http, payment["id"], "refunded")
    assert len(await sim_control.received(REVERSAL_PATH)) == 1
