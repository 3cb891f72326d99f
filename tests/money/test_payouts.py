"""Payouts end to end: nothing is sent before the owner confirms, at most once, within the limit."""

from __future__ import annotations

from daraja_sim import SimController
from tests.money.conftest import TILL
from tests.money.helpers import payout, wait_payout
from tests.support.backend_fixtures import RunningBackend

B2C_PATH = "/mpesa/b2c/v3/paymentrequest"
B2B_PATH = "/mpesa/b2b/v1/paymentrequest"
WORKER = "254711222333"


async def test_salary_is_sent_only_after_confirmation_and_once(
    shop: RunningBackend, sim_control: SimController
) -> None:
    http = shop.client(shop.owner_token)
    before = await sim_control.balance(WORKER)
    created = await payout(http, kind="b2c", purpose="salary", phone="0711 222 333", amount=1500)
    assert created.status_code == 201, created.text
    draft = created.json()
    assert draft["status"] == "awaiting_confirmation" and draft["to"] == "2547••••333"
    assert draft["command"] == "SalaryPayment"
    assert await sim_control.received(B2C_PATH) == []
    confirmed = await http.post(f"/v1/payouts/{draft['id']}/confirm")
    assert confirmed.status_code == 200, confirmed.text
    paid = await wait_payout(http, draft["id"], "paid", "failed")
    assert paid["status"] == "paid" and paid["receipt"], paid
    assert paid["recipient_name"].startswith("2547••••333 - ")  # M-PESA's name, phone masked
    again = await http.post(f"/v1/payouts/{draft['id']}/confirm")
    assert again.status_code == 200 and again.json()["status"] == "paid"
    assert len(await sim_control.received(B2C_PATH)) == 1
    assert await sim_control.balance(WORKER) == before + 1500
    listed = (await http.get("/v1/payouts")).json()
    assert listed["used_today"] == 1500 and listed["items"][0]["id"] == draft["id"]


async def test_b2b_pays_a_paybill_with_an_account(
    shop: RunningBackend, sim_control: SimController
) -> None:
    http = shop.client(shop.owner_token)
    supplier_before = await sim_control.balance("600000")
    created = await payout(
        http,
        kind="b2b",
        receiver="600000",
        receiver_kind="paybill",
        account_reference="INV 42",
        amount=2500,
        remarks="Stock for December",
    )
    assert created.status_code == 201, created.text
    await http.post(f"/v1/payouts/{created.json()['id']}/confirm")
    paid = await wait_payout(http, created.json()["id"], "paid", "failed")
    assert paid["status"] == "paid", paid
    assert paid["command"] == "BusinessPayBill" and paid["to"] == "600000"
    assert await sim_control.balance("600000") == supplier_before + 2500
    (sent,) = await sim_control.received(B2B_PATH)
    assert "INV 42" in str(sent)


async def test_insufficient_balance_fails_with_a_plain_reason(
    shop: RunningBackend, sim_control: SimController
) -> None:
    http = shop.client(shop.owner_token)
    till = await sim_control.balance(TILL)
    created = await payout(http, kind="b2c", phone="0711222333", amount=till + 1000)
    await http.post(f"/v1/payouts/{created.json()['id']}/confirm")
    failed = await wait_payout(http, created.json()["id"], "failed", "paid")
    assert failed["status"] == "failed" and failed["result_code"] == "1"
    assert "Not enough money" in failed["reason"]
    assert await sim_control.balance(TILL) == till
    # A failed payout gives its share of the daily limit back.
    assert (await http.get("/v1/payouts")).json()["used_today"] == 0


async def test_daily_limit_refuses_the_payout_that_would_pass_it(
    money_backend: object, sim_control: SimController
) -> None:
    shop: RunningBackend = await money_backend(payout_daily_limit=1000)  # type: ignore[operator]
    http = shop.client(shop.owner_token)
    first = await payout(http, kind="b2c", phone="0711222333", amount=800)
    await http.post(f"/v1/payouts/{first.json()['id']}/confirm")
    second = await payout(http, kind="b2c", phone="0711222333", amount=300)
    refused = await http.post(f"/v1/payouts/{second.json()['id']}/confirm")
    assert refused.status_code == 409
    assert refused.json()["code"] == "payout_limit_reached"
    assert "200" in refused.json()["detail"]
    assert (await http.get(f"/v1/payouts/{second.json()['id']}")).json()["status"] == (
        "awaiting_confirmation"
    )
    await wait_payout(http, first.json()["id"], "paid")
    assert len(await sim_control.received(B2C_PATH)) == 1
    audit = (await http.get("/v1/audit", params={"action": "payout.confirm"})).json()["items"]
    assert [e["outcome"] for e in audit] == ["refused", "pending"]


async def test_cancel_and_bad_input(shop: RunningBackend, sim_control: SimController) -> None:
    http = shop.client(shop.owner_token)
    created = await payout(http, kind="b2c", phone="0711222333", amount=100)
    cancelled = await http.post(f"/v1/payouts/{created.json()['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    late = await http.post(f"/v1/payouts/{created.json()['id']}/confirm")
    assert late.status_code == 409 and late.json()["code"] == "payout_cancelled"
    no_account = await payout(http, kind="b2b", receiver="600000", amount=100)
    assert no_account.status_code == 422 and no_account.json()["code"] == "account_required"
    bad_phone = await payout(http, kind="b2c", phone="12345", amount=100)
    assert bad_phone.status_code == 422 and "0712 345 678" in bad_phone.json()["detail"]
    too_small = await payout(http, kind="b2c", phone="0711222333", amount=5)
    assert too_small.status_code == 422
    cents = await payout(http, kind="b2c", phone="0711222333", amount=10.5)
    assert cents.status_code == 422 and "whole shillings" in cents.json()["detail"]
    no_key = await http.post(
        "/v1/payouts", json={"kind": "b2c", "phone": "0711222333", "amount": 50}
    )
    assert no_key.status_code == 422 and no_key.json()["code"] == "idempotency_key_required"
    assert await sim_control.received(B2C_PATH) == []


async def test_a_separate_b2c_shortcode_pays_out_and_reports_the_balance(
    money_backend: object, sim_control: SimController
) -> None:
    shop: RunningBackend = await money_backend(b2c_shortcode="600984")  # type: ignore[operator]
    http = shop.client(shop.owner_token)
    till, b2c = await sim_control.balance(TILL), await sim_control.balance("600984")
    created = await payout(http, kind="b2c", phone="0711222333", amount=700)
    await http.post(f"/v1/payouts/{created.json()['id']}/confirm")
    assert (await wait_payout(http, created.json()["id"], "paid", "failed"))["status"] == "paid"
    assert await sim_control.balance("600984") == b2c - 700
    assert await sim_control.balance(TILL) == till
    assert (await http.get("/v1/balance")).json()["available"] == b2c - 700
