"""STK Push and Query end to end against the simulator, paybill and till, every scripted phone."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from backend.daraja import (
    NAIROBI,
    AuthError,
    InvalidRequest,
    RejectedByMpesa,
    parse_stk_callback,
)
from daraja_sim import TILL_NUMBER
from tests.backend.daraja.simulated import client_for, credentials, till_credentials
from tests.backend.daraja.wire import FakeClock
from tests.support.sim_fixtures import CallbackReceiver, RunningSim


def _push(receiver: CallbackReceiver, phone: str, amount: int = 250) -> dict[str, Any]:
    return {
        "amount": amount,
        "phone": phone,
        "callback_url": f"{receiver.url}/stk",
        "account_reference": "Duka",
        "description": "Sale",
    }


async def test_paybill_push_is_paid_and_called_back(
    sim: RunningSim, callback_receiver: CallbackReceiver
) -> None:
    async with client_for(sim) as client:
        ack = await client.stk_push(**_push(callback_receiver, "0700 000 000"))
        (body,) = await callback_receiver.wait_for(1, path="/stk")
        callback = parse_stk_callback(body)
        status = await client.stk_query(ack.checkout_request_id)
    assert callback.checkout_request_id == ack.checkout_request_id
    assert callback.paid and callback.amount == 250 and callback.phone == "254700000000"
    assert callback.receipt and len(callback.receipt) == 10
    assert callback.transaction_date is not None and callback.transaction_date.tzinfo is not None
    assert not status.pending and status.paid and status.result_code == "0"


async def test_till_push_goes_to_the_till(
    sim: RunningSim, callback_receiver: CallbackReceiver
) -> None:
    async with client_for(sim, till_credentials()) as client:
        await client.stk_push(**_push(callback_receiver, "+254 700 000 000"))
    (body,) = await callback_receiver.wait_for(1)
    assert parse_stk_callback(body).paid
    ledger = await sim.control.ledger()
    assert int(ledger["balances"][TILL_NUMBER]) > 0


async def test_till_number_as_shortcode_is_refused_by_mpesa(
    sim: RunningSim, callback_receiver: CallbackReceiver
) -> None:
    # The classic trap, configured on purpose: the till number where the store number belongs.
    wrong = credentials(shortcode=TILL_NUMBER, till_number=TILL_NUMBER)
    async with client_for(sim, wrong) as client:
        with pytest.raises(RejectedByMpesa) as info:
            await client.stk_push(**_push(callback_receiver, "0700000000"))
    assert info.value.code == "500.001.1001"
    assert "owner" in info.value.user_message


@pytest.mark.parametrize(
    ("phone", "code"),
    [
        ("0700000001", 1032),
        ("0700000002", 2001),
        ("0700000003", 1037),
        ("0700000004", 1),
        ("0700000008", 1019),
        ("0700000009", 8006),
    ],
)
async def test_scripted_failures_arrive_as_unpaid_callbacks(
    sim: RunningSim, callback_receiver: CallbackReceiver, phone: str, code: int
) -> None:
    async with client_for(sim) as client:
        ack = await client.stk_push(**_push(callback_receiver, phone))
        (body,) = await callback_receiver.wait_for(1)
        status = await client.stk_query(ack.checkout_request_id)
    callback = parse_stk_callback(body)
    assert not callback.paid and callback.result_code == code and callback.amount is None
    assert status.result_code == str(code) and not status.paid


async def test_lost_callback_query_tells_the_truth(
    sim: RunningSim, callback_receiver: CallbackReceiver
) -> None:
    async with client_for(sim) as client:
        ack = await client.stk_push(**_push(callback_receiver, "0700000005"))
        status = await client.stk_query(ack.checkout_request_id)
        for _ in range(100):
            if not status.pending:
                break
            await asyncio.sleep(0.02)
            status = await client.stk_query(ack.checkout_request_id)
    assert status.paid
    assert callback_receiver.bodies() == []


async def test_duplicate_callback_parses_to_the_same_payment(
    sim: RunningSim, callback_receiver: CallbackReceiver
) -> None:
    async with client_for(sim) as client:
        await client.stk_push(**_push(callback_receiver, "0700000006"))
    first, second = await callback_receiver.wait_for(2)
    assert parse_stk_callback(first) == parse_stk_callback(second)


async def test_query_is_pending_until_the_customer_acts(
    sim: RunningSim, callback_receiver: CallbackReceiver
) -> None:
    async with client_for(sim) as client:
        ack = await client.stk_push(**_push(callback_receiver, "0712 345 678"))
        pending = await client.stk_query(ack.checkout_request_id)
        await sim.control.enter_pin("254712345678")
        (body,) = await callback_receiver.wait_for(1)
        done = await client.stk_query(ack.checkout_request_id)
    assert pending.pending and pending.result_code is None
    assert parse_stk_callback(body).paid and done.paid


async def test_timestamp_is_nairobi_time_near_midnight_and_accepted(
    sim: RunningSim, callback_receiver: CallbackReceiver
) -> None:
    # 21:30 UTC is already tomorrow in Nairobi: the classic time-zone trap.
    clock = FakeClock(datetime(2026, 12, 4, 21, 30, 5, tzinfo=UTC))
    async with client_for(sim, clock=clock) as client:
        await client.stk_push(**_push(callback_receiver, "0700000000"))
    (request,) = await sim.control.received("/mpesa/stkpush/v1/processrequest")
    body = request["body"]
    assert body["Timestamp"] == "20261205003005"
    # The simulator checks Password against this Timestamp: acceptance proves they agree.
    assert parse_stk_callback((await callback_receiver.wait_for(1))[0]).paid


async def test_host_zone_new_york_still_gives_nairobi_time(
    sim: RunningSim, callback_receiver: CallbackReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        before = datetime.now(NAIROBI).strftime("%Y%m%d%H%M%S")
        async with client_for(sim) as client:
            await client.stk_push(**_push(callback_receiver, "0700000000"))
        after = datetime.now(NAIROBI).strftime("%Y%m%d%H%M%S")
    finally:
        monkeypatch.undo()
        time.tzset()
    (request,) = await sim.control.received("/mpesa/stkpush/v1/processrequest")
    assert before <= request["body"]["Timestamp"] <= after


async def test_wrong_consumer_secret_is_an_auth_error(sim: RunningSim) -> None:
    async with client_for(sim, credentials(consumer_secret="wrong")) as client:
        with pytest.raises(AuthError):
            await client.stk_query("ws_CO_1")
        assert client.oauth_requests == 1


async def test_thousand_concurrent_pushes_share_one_token(
    sim: RunningSim, callback_receiver: CallbackReceiver
) -> None:
    async with client_for(sim) as client:
        acks = await asyncio.gather(
            *(
                client.stk_push(**_push(callback_receiver, "0700000005", 1 + i % 50))
                for i in range(1000)
            )
        )
        assert client.oauth_requests == 1
    assert len({ack.checkout_request_id for ack in acks}) == 1000


async def test_bad_input_is_caught_before_sending(
    sim: RunningSim, callback_receiver: CallbackReceiver
) -> None:
    async with client_for(sim) as client:
        for bad in (
            {"phone": "0812 345 678"},
            {"amount": 0},
            {"amount": 250_001},
            {"account_reference": "INVOICE-00001"},
            {"description": "Fourteen chars"},
            {"callback_url": "https://duka.example/stk "},
        ):
            with pytest.raises(InvalidRequest):
                await client.stk_push(**{**_push(callback_receiver, "0700000000"), **bad})
    assert await sim.control.received() == []


async def test_simulator_quirk_switches(
    start_sim: Callable[..., RunningSim], callback_receiver: CallbackReceiver
) -> None:
    # Numeric expires_in, the old value-less Balance item, and a short token lifetime.
    quirky = start_sim(expires_in_as_string=False, stk_balance_item=True, token_ttl_seconds=60)
    async with client_for(quirky) as client:
        await client.stk_push(**_push(callback_receiver, "0700000000"))
        await client.stk_push(**_push(callback_receiver, "0700000000", 300))
        assert client.oauth_requests == 1
    first, second = await callback_receiver.wait_for(2)
    assert {parse_stk_callback(first).amount, parse_stk_callback(second).amount} == {250, 300}
    assert any(
        item == {"Name": "Balance"}
        for item in first["Body"]["stkCallback"]["CallbackMetadata"]["Item"]
    )
