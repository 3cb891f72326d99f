"""Never lose a payment: the simulator drops, duplicates, delays and reorders callbacks, fails
and stalls pushes, expires tokens; afterwards every payment is in its true final state and
every total is right."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import select

from backend.models import CallbackRecord
from daraja_sim import SimController
from tests.backend.helpers import STK_PATH, pay, wait_status
from tests.support.backend_fixtures import (
    CANCELS,
    NO_CALLBACK,
    PAYS,
    SLOW,
    TWICE,
    RunningBackend,
)


async def totals(backend: RunningBackend) -> tuple[int, int]:
    body = (await backend.client(backend.owner_token).get("/v1/takings")).json()
    return body["total"], body["count"]


async def test_missing_callback_is_settled_by_query(backend: RunningBackend) -> None:
    http = backend.client(backend.owner_token)
    payment = (await pay(http, 40, NO_CALLBACK)).json()
    paid = await wait_status(http, payment["id"], "paid")
    assert paid["status"] == "paid"
    assert await totals(backend) == (40, 1)
    assert backend.runtime.reconciler.queries >= 1


async def test_dropped_delayed_duplicated_reordered_callbacks(
    backend: RunningBackend, sim_control: SimController
) -> None:
    http = backend.client(backend.owner_token)
    plan = [
        ("drop", PAYS, 11),
        ("duplicate", PAYS, 12),
        ("delay", PAYS, 13),
        ("normal", TWICE, 14),
        ("drop", CANCELS, 15),
    ]
    ids = []
    # The simulator applies a mode when it settles the next push (50 ms after it), so each
    # payment is settled there before the next mode is set: on a loaded box a fixed pause can
    # end first and the mode would land on another payment's callback.
    for mode, phone, amount in plan:
        await sim_control.set_callback_mode(mode, count=1, seconds=2.0)
        ids.append((await pay(http, amount, phone)).json()["id"])
        await settled_at_sim(backend, sim_control, ids[-1])
    await sim_control.set_callback_mode("reorder", count=3)
    for amount in (16, 17, 18):
        ids.append((await pay(http, amount, PAYS)).json()["id"])
        await settled_at_sim(backend, sim_control, ids[-1])
    await sim_control.set_callback_mode("normal")
    finals = [await wait_status(http, i, "paid", "failed") for i in ids]
    assert [p["status"] for p in finals] == ["paid"] * 4 + ["failed"] + ["paid"] * 3
    assert finals[4]["result_code"] == 1032
    expected = 11 + 12 + 13 + 14 + 16 + 17 + 18
    assert await totals(backend) == (expected, 7)
    # A delayed callback that lands after the query settled its payment adds the receipt, not
    # money: every paid payment but the one whose callback was dropped ends with its receipt.
    paid_ids = [i for i, p in zip(ids, finals, strict=True) if p["status"] == "paid"]
    with_receipt = await wait_for_receipts(http, paid_ids, at_least=6)
    assert with_receipt >= 6
    assert await totals(backend) == (expected, 7)


async def settled_at_sim(
    backend: RunningBackend, sim_control: SimController, payment_id: int
) -> None:
    """Wait until the simulator has settled this payment's push (its callback took the mode)."""
    checkout = await backend.checkout_id(payment_id)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30
    while (await sim_control.stk_transaction(checkout))["pending"]:
        assert loop.time() < deadline, f"the simulator never settled payment {payment_id}"
        await asyncio.sleep(0.02)


async def wait_for_receipts(http: Any, payment_ids: list[int], at_least: int) -> int:
    count = 0
    for _ in range(200):
        bodies = [(await http.get(f"/v1/payments/{i}")).json() for i in payment_ids]
        count = sum(1 for b in bodies if b["receipt"])
        if count >= at_least:
            break
        await asyncio.sleep(0.05)
    return count


async def test_push_5xx_fails_with_a_plain_reason_and_no_prompt(
    backend: RunningBackend, sim_control: SimController
) -> None:
    await sim_control.set_fault("5xx", path=STK_PATH, count=None)
    http = backend.client(backend.owner_token)
    answer = await pay(http, 60, PAYS)
    assert answer.status_code == 201
    body = answer.json()
    assert body["status"] == "failed"
    assert "M-PESA" in body["reason"]
    await sim_control.clear_faults()
    assert await totals(backend) == (0, 0)


async def test_push_timeout_becomes_unknown_then_the_callback_settles_it(
    backend_factory: object, sim_control: SimController
) -> None:
    backend = await backend_factory(daraja_timeout_seconds=0.5)  # type: ignore[operator]
    await sim_control.set_fault("timeout", path=STK_PATH, count=1, seconds=2.0)
    http = backend.client(backend.owner_token)
    body = (await pay(http, 70, PAYS)).json()
    # The push got no answer; its callback (already in) is matched by phone and amount.
    assert body["status"] in ("unknown", "paid")
    paid = await wait_status(http, body["id"], "paid")
    assert paid["receipt"]
    assert len(await sim_control.sent(kind="stk")) == 1  # prompted once: never resent
    assert await totals(backend) == (70, 1)


async def test_expired_token_is_refreshed_transparently(
    backend: RunningBackend, sim_control: SimController
) -> None:
    http = backend.client(backend.owner_token)
    first = (await pay(http, 5, PAYS)).json()
    await wait_status(http, first["id"], "paid")
    await sim_control.expire_tokens()
    second = (await pay(http, 6, PAYS)).json()
    assert (await wait_status(http, second["id"], "paid"))["status"] == "paid"
    assert await totals(backend) == (11, 2)


async def test_slow_callback_and_many_at_once(backend: RunningBackend) -> None:
    http = backend.client(backend.owner_token)
    slow = (await pay(http, 100, SLOW)).json()
    batch = await asyncio.gather(*(pay(http, 1 + i, PAYS) for i in range(20)))
    for answer in batch:
        await wait_status(http, answer.json()["id"], "paid")
    await wait_status(http, slow["id"], "paid")
    assert await totals(backend) == (100 + sum(range(1, 21)), 21)


async def test_callback_that_beats_the_push_answer_is_applied(
    backend: RunningBackend, sim_control: SimController
) -> None:
    # Daraja acts on each push at once but holds its answer 0.5 s: the callbacks come first.
    http = backend.client(backend.owner_token)
    await sim_control.set_fault("timeout", path=STK_PATH, count=1, seconds=0.5)
    paid = (await pay(http, 33, PAYS)).json()  # matched by phone and amount on arrival
    await sim_control.set_fault("timeout", path=STK_PATH, count=1, seconds=0.5)
    cancelled = (
        await pay(http, 34, CANCELS)
    ).json()  # a failure names no phone: kept, then applied
    assert (await wait_status(http, paid["id"], "paid"))["receipt"]
    assert (await wait_status(http, cancelled["id"], "failed"))["result_code"] == 1032
    assert await totals(backend) == (33, 1)
    async with backend.db() as session:
        records = list(await session.scalars(select(CallbackRecord).order_by(CallbackRecord.id)))
    assert [r.outcome for r in records] == ["applied", "applied"]
    assert "(yet)" in records[1].note  # stored unmatched first, applied when the answer came
