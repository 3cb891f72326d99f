"""PostgreSQL: two backend instances share one database; two owners' taps on different
instances still refund once and send a payout once (row locks, not luck)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from daraja_sim import SimController
from tests.money.helpers import paid_payment, payout, refund, wait_payout, wait_refund
from tests.support.backend_fixtures import PG_URL, RunningBackend

pytestmark = pytest.mark.postgres


async def test_two_instances_refund_once_and_pay_once(
    pg_schema: str, money_backend: Callable[..., Any], sim_control: SimController
) -> None:
    first: RunningBackend = await money_backend(database_url=PG_URL, database_schema=pg_schema)
    second: RunningBackend = await money_backend(database_url=PG_URL, database_schema=pg_schema)
    one, two = first.client(first.owner_token), second.client(second.owner_token)
    sale = await paid_payment(one, 480)
    answers = await asyncio.gather(
        refund(one, sale["id"]), refund(two, sale["id"]), refund(one, sale["id"])
    )
    assert sorted(a.status_code for a in answers) == [201, 409, 409]
    await wait_refund(two, sale["id"], "refunded")
    assert len((await one.get(f"/v1/payments/{sale['id']}/refunds")).json()["items"]) == 1

    draft = (await payout(one, kind="b2c", phone="0711222333", amount=250)).json()
    confirms = await asyncio.gather(
        one.post(f"/v1/payouts/{draft['id']}/confirm"),
        two.post(f"/v1/payouts/{draft['id']}/confirm"),
    )
    assert all(c.status_code == 200 for c in confirms)
    await wait_payout(two, draft["id"], "paid")
    assert len(await sim_control.received("/mpesa/b2c/v3/paymentrequest")) == 1
    assert len(await sim_control.received("/mpesa/reversal/v1/request")) == 1
    day = (await two.get("/v1/money/day")).json()
    assert (day["takings"], day["refunds"], day["payouts"]) == (480, 480, 250)
