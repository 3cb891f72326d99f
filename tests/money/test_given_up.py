"""A refund given up as "no record at M-PESA" that M-PESA completes later is never paid twice
unseen: refunding again asks about it first, and a success that still comes late is flagged.

The simulator plays a slow M-PESA: the B2C request's answer (and its acting on it) is held back
by added latency, so our acknowledgement is lost and every Transaction Status check finds nothing
until the simulator finally moves the money and sends its Result.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from daraja_sim import SimController
from tests.money.conftest import TILL
from tests.money.helpers import paid_payment, refund, wait_refund
from tests.support.backend_fixtures import PAYS, RunningBackend

B2C_PATH = "/mpesa/b2c/v3/paymentrequest"
STATUS_PATH = "/mpesa/transactionstatus/v1/query"
HELD = 5.0  # the simulator acts on the first refund this long after it arrives


async def slow_shop(money_backend: Callable[..., Any]) -> RunningBackend:
    shop: RunningBackend = await money_backend(
        daraja_timeout_seconds=0.5,
        money_check_after_seconds=0.2,
        money_check_repeat_seconds=0.2,
    )
    return shop


async def given_up_refund(
    shop: RunningBackend, sim_control: SimController, amount: int
) -> tuple[Any, dict[str, Any]]:
    """A paid sale and a part refund of it that the checks gave up on, M-PESA still holding it."""
    http = shop.client(shop.owner_token)
    payment = await paid_payment(http, 500)
    await sim_control.set_latency(HELD, B2C_PATH)
    answer = await refund(http, payment["id"], amount)
    assert answer.status_code == 201 and answer.json()["status"] == "pending", answer.text
    await sim_control.set_latency(0, B2C_PATH)  # only the first refund is slow
    first = await wait_refund(http, payment["id"], "failed", "refunded")
    assert first["status"] == "failed" and "no record" in first["reason"], first
    return http, payment


async def wait_balance(sim_control: SimController, party: str, expected: int) -> None:
    for _ in range(300):
        if await sim_control.balance(party) == expected:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{party} never reached {expected}")


async def test_refunding_again_finds_the_late_refund_and_refuses(
    money_backend: Callable[..., Any], sim_control: SimController
) -> None:
    shop = await slow_shop(money_backend)
    customer = await sim_control.balance(PAYS)
    http, payment = await given_up_refund(shop, sim_control, 200)
    await sim_control.set_callback_mode("delay", count=1, seconds=60)  # its Result is late too
    await wait_balance(sim_control, PAYS, customer - 500 + 200)  # M-PESA paid it after all

    again = await refund(http, payment["id"], 200)
    assert again.status_code == 409 and again.json()["code"] == "already_refunded", again.text
    (only,) = (await http.get(f"/v1/payments/{payment['id']}/refunds")).json()["items"]
    assert only["status"] == "refunded" and only["reason"] == ""
    assert (await http.get(f"/v1/payments/{payment['id']}")).json()["refunded"] == 200
    assert (await http.get("/v1/money/day")).json()["refunds"] == 200
    assert len(await sim_control.received(B2C_PATH)) == 1


async def test_a_success_after_refunding_again_is_flagged_as_paid_twice(
    money_backend: Callable[..., Any], sim_control: SimController
) -> None:
    shop = await slow_shop(money_backend)
    till = await sim_control.balance(TILL)
    http, payment = await given_up_refund(shop, sim_control, 200)

    again = await refund(http, payment["id"], 150)  # M-PESA still says "no record": allowed
    assert again.status_code == 201, again.text
    await wait_balance(sim_control, TILL, till + 500 - 150 - 200)  # ...and then both went out
    for _ in range(300):
        items = (await http.get(f"/v1/payments/{payment['id']}/refunds")).json()["items"]
        if [i["status"] for i in items] == ["refunded", "refunded"]:
            break
        await asyncio.sleep(0.05)
    first, second = items
    assert [first["status"], second["status"]] == ["refunded", "refunded"], items
    assert second["reason"] == ""
    assert first["reason"].startswith("Refunded twice") and "KSh 200 extra" in first["reason"]
    day = (await http.get("/v1/money/day")).json()
    assert day["refunds"] == 350 and day["net"] == await sim_control.balance(TILL) - till
    twice = (await http.get("/v1/audit", params={"action": "refund.twice"})).json()["items"]
    assert len(twice) == 1 and twice[0]["subject"] == f"payment:{payment['id']}"
    queries = len(await sim_control.received(STATUS_PATH))
    third = await refund(http, payment["id"], 100)  # refunded already: no need to ask again
    assert third.status_code == 409 and third.json()["code"] == "already_refunded"
    assert len(await sim_control.received(STATUS_PATH)) == queries


async def test_no_answer_about_the_given_up_refund_means_wait(
    money_backend: Callable[..., Any], sim_control: SimController
) -> None:
    shop = await slow_shop(money_backend)
    http, payment = await given_up_refund(shop, sim_control, 200)
    await sim_control.time_out_results(1)  # the status query only gets a timeout notice
    again = await refund(http, payment["id"], 150)
    assert again.status_code == 409 and again.json()["code"] == "refund_unconfirmed"
    assert "Try again in a minute" in again.json()["detail"]
    assert len((await http.get(f"/v1/payments/{payment['id']}/refunds")).json()["items"]) == 1
