"""A Buy Goods shop (store 300300, till 300301): refunds, verify and conservation work there too.

Customers pay the till, so the till is the party that received the money: a Reversal names it as
`ReceiverParty` and Transaction Status asks as it (`PartyA`), as REFERENCE.md §7.4/§7.6 say "your
shortcode". Payouts still come from the store (the shop has no separate B2C shortcode here), so
the shop's M-PESA money is the store's and the till's balances together.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from daraja_sim import SimController
from tests.backend.helpers import pay, wait_status
from tests.money.conftest import OPENING
from tests.money.helpers import paid_payment, payout, refund, wait_payout, wait_refund
from tests.support.backend_fixtures import CANCELS, PAYS, RunningBackend

STORE, TILL_NUMBER = "300300", "300301"
REVERSAL_PATH = "/mpesa/reversal/v1/request"
STATUS_PATH = "/mpesa/transactionstatus/v1/query"


@pytest.fixture
async def till_shop(money_backend: Callable[..., Any]) -> RunningBackend:
    running: RunningBackend = await money_backend(shortcode=STORE, till_number=TILL_NUMBER)
    return running


async def test_a_full_refund_reverses_the_till_payment(
    till_shop: RunningBackend, sim_control: SimController
) -> None:
    http = till_shop.client(till_shop.owner_token)
    payment = await paid_payment(http, 450)
    before = await sim_control.balance(PAYS)
    assert (await refund(http, payment["id"])).status_code == 201
    done = await wait_refund(http, payment["id"], "refunded", "failed")
    assert done["status"] == "refunded", done
    assert await sim_control.balance(PAYS) == before + 450
    assert await sim_control.balance(TILL_NUMBER) == OPENING
    (sent,) = await sim_control.received(REVERSAL_PATH)
    assert _body(sent)["ReceiverParty"] == TILL_NUMBER


async def test_a_lost_reversal_result_is_checked_as_the_till(
    till_shop: RunningBackend, sim_control: SimController
) -> None:
    http = till_shop.client(till_shop.owner_token)
    payment = await paid_payment(http, 300)
    await sim_control.set_callback_mode("drop", count=1)  # the Reversal's Result never comes
    assert (await refund(http, payment["id"])).status_code == 201
    done = await wait_refund(http, payment["id"], "refunded", "failed")
    assert done["status"] == "refunded", done
    checks = await sim_control.received(STATUS_PATH)
    assert checks and {_body(c)["PartyA"] for c in checks} == {TILL_NUMBER}


async def test_verify_knows_a_code_paid_to_the_till(
    till_shop: RunningBackend, sim_control: SimController
) -> None:
    http = till_shop.client(till_shop.owner_token)
    payment = await paid_payment(http, 350)
    ours = (await http.get(f"/v1/verify/{payment['receipt']}")).json()
    assert ours["verdict"] == "genuine" and ours["source"] == "ledger"
    await sim_control.clear_log()
    elsewhere = await sim_control.pay("600000", "254722000111", 700)
    other = (await http.get(f"/v1/verify/{elsewhere['TransID']}")).json()
    assert other["verdict"] == "other_business", other
    (sent,) = await sim_control.received(STATUS_PATH)
    assert _body(sent)["PartyA"] == TILL_NUMBER


async def test_a_till_day_adds_up_to_the_store_and_till(
    till_shop: RunningBackend, sim_control: SimController
) -> None:
    http = till_shop.client(till_shop.owner_token)
    sales = [await paid_payment(http, amount) for amount in (1000, 600, 250)]
    cancelled = await pay(http, 900, CANCELS)
    await wait_status(http, cancelled.json()["id"], "failed")
    await refund(http, sales[2]["id"])  # all of the 250, by Reversal from the till
    await refund(http, sales[1]["id"], 100)  # part of the 600, by B2C from the store
    for sale in (sales[2], sales[1]):
        assert (await wait_refund(http, sale["id"], "refunded", "failed"))["status"] == "refunded"
    wages = await payout(http, kind="b2c", purpose="salary", phone="0711222333", amount=400)
    await http.post(f"/v1/payouts/{wages.json()['id']}/confirm")
    assert (await wait_payout(http, wages.json()["id"], "paid", "failed"))["status"] == "paid"

    day = (await http.get("/v1/money/day")).json()
    assert (day["takings"], day["refunds"], day["payouts"]) == (1850, 350, 400)
    change = await sim_control.balance(STORE) + await sim_control.balance(TILL_NUMBER) - 2 * OPENING
    assert day["net"] == change == 1850 - 350 - 400


def _body(received: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = received.get("body", received)
    return body
