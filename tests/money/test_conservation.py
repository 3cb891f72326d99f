"""Money is conserved: a scripted day's takings, refunds and payouts add up to the simulator's
own ledger for the till, to the shilling."""

from __future__ import annotations

from daraja_sim import SimController
from tests.backend.helpers import pay, wait_status
from tests.money.conftest import OPENING, TILL
from tests.money.helpers import paid_payment, payout, refund, wait_payout, wait_refund
from tests.support.backend_fixtures import CANCELS, RunningBackend


async def test_a_day_of_sales_refunds_and_payouts_adds_up(
    shop: RunningBackend, sim_control: SimController
) -> None:
    http = shop.client(shop.owner_token)
    sales = [await paid_payment(http, amount) for amount in (1000, 1500, 700, 250, 2000)]
    cancelled = await pay(http, 900, CANCELS)
    await wait_status(http, cancelled.json()["id"], "failed")

    await refund(http, sales[3]["id"])  # all of the 250
    await refund(http, sales[1]["id"], 500)  # part of the 1,500
    assert (await refund(http, sales[3]["id"])).status_code == 409
    for sale in (sales[3], sales[1]):
        assert (await wait_refund(http, sale["id"], "refunded", "failed"))["status"] == "refunded"

    salary = await payout(http, kind="b2c", purpose="salary", phone="0711222333", amount=1200)
    supplier = await payout(http, kind="b2b", receiver="600000", receiver_kind="till", amount=800)
    too_big = await payout(http, kind="b2b", receiver="600000", receiver_kind="till", amount=90_000)
    never = await payout(http, kind="b2c", phone="0711222333", amount=300)
    await sim_control.set_callback_mode("drop", count=1)  # the salary's Result is lost
    for draft in (salary, supplier, too_big):
        await http.post(f"/v1/payouts/{draft.json()['id']}/confirm")
    await http.post(f"/v1/payouts/{never.json()['id']}/cancel")
    outcomes = [
        (await wait_payout(http, d.json()["id"], "paid", "failed"))["status"]
        for d in (salary, supplier, too_big)
    ]
    assert outcomes == ["paid", "paid", "failed"]

    day = (await http.get("/v1/money/day")).json()
    assert day["takings"] == 5450
    assert day["refunds"] == 750
    assert day["payouts"] == 2000
    till_change = await sim_control.balance(TILL) - OPENING
    assert day["net"] == till_change == 5450 - 750 - 2000

    ledger = await sim_control.ledger()
    entries = ledger["entries"]
    entries = entries.values() if isinstance(entries, dict) else entries
    moved_in = sum(e["amount"] for e in entries if e["credit"] == TILL)
    moved_out = sum(e["amount"] for e in entries if e["debit"] == TILL)
    assert (moved_in, moved_out) == (day["takings"], day["refunds"] + day["payouts"])
