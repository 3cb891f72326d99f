"""The simulator's fault modes: expired tokens mid-flight, 5xx, spike arrest, timeouts."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from backend.daraja import (
    ConnectFailed,
    DarajaClient,
    DarajaUnavailable,
    OutcomeUnknown,
    RateLimited,
    parse_stk_callback,
)
from tests.backend.daraja.simulated import client_for, credentials
from tests.support.servers import free_port
from tests.support.sim_fixtures import CallbackReceiver, RunningSim

PUSH_PATH = "/mpesa/stkpush/v1/processrequest"
QUERY_PATH = "/mpesa/stkpushquery/v1/query"


def _push(receiver: CallbackReceiver, phone: str = "0700000000") -> dict[str, Any]:
    return {
        "amount": 100,
        "phone": phone,
        "callback_url": f"{receiver.url}/stk",
        "account_reference": "Duka",
        "description": "Sale",
    }


async def test_expired_token_mid_flight_is_refreshed_once(
    sim: RunningSim, callback_receiver: CallbackReceiver
) -> None:
    async with client_for(sim) as client:
        await client.stk_push(**_push(callback_receiver))
        assert await sim.control.expire_tokens() == 1
        ack = await client.stk_push(**_push(callback_receiver))
        assert client.oauth_requests == 2
    pushes = await sim.control.received(PUSH_PATH)
    assert len(pushes) == 3  # the refused one, then the resend with a fresh token
    bodies = await callback_receiver.wait_for(2)
    assert ack.checkout_request_id in {parse_stk_callback(b).checkout_request_id for b in bodies}


async def test_push_5xx_is_not_resent(sim: RunningSim, callback_receiver: CallbackReceiver) -> None:
    await sim.control.set_fault("5xx", PUSH_PATH, count=1)
    async with client_for(sim) as client:
        with pytest.raises(DarajaUnavailable) as info:
            await client.stk_push(**_push(callback_receiver))
    assert info.value.code == "500.003.1001"
    assert len(await sim.control.received(PUSH_PATH)) == 1


async def test_push_spike_arrest_is_not_resent(
    sim: RunningSim, callback_receiver: CallbackReceiver
) -> None:
    await sim.control.set_fault("spike", PUSH_PATH, count=1)
    async with client_for(sim) as client:
        with pytest.raises(RateLimited) as info:
            await client.stk_push(**_push(callback_receiver))
    assert info.value.code == "500.003.02"
    assert "busy" in info.value.user_message
    assert len(await sim.control.received(PUSH_PATH)) == 1


@pytest.mark.parametrize("kind", ["5xx", "spike", "quota"])
async def test_query_rides_out_transient_faults(
    sim: RunningSim, callback_receiver: CallbackReceiver, kind: str
) -> None:
    async with client_for(sim) as client:
        ack = await client.stk_push(**_push(callback_receiver, "0700000001"))
        await callback_receiver.wait_for(1)
        await sim.control.set_fault(kind, QUERY_PATH, count=2)
        status = await client.stk_query(ack.checkout_request_id)
    assert status.result_code == "1032"
    assert len(await sim.control.received(QUERY_PATH)) == 3


async def test_query_gives_up_after_its_attempts(
    sim: RunningSim, callback_receiver: CallbackReceiver
) -> None:
    async with client_for(sim, retry_attempts=2) as client:
        ack = await client.stk_push(**_push(callback_receiver))
        await sim.control.set_fault("spike", QUERY_PATH, count=None)
        with pytest.raises(RateLimited):
            await client.stk_query(ack.checkout_request_id)
    assert len(await sim.control.received(QUERY_PATH)) == 2


async def test_push_answer_lost_is_outcome_unknown_and_sent_once(
    sim: RunningSim, callback_receiver: CallbackReceiver
) -> None:
    # The simulator acts on the push, then holds the answer back past our read timeout.
    await sim.control.set_fault("timeout", PUSH_PATH, count=1, seconds=1.5)
    async with client_for(sim, timeout=httpx.Timeout(0.5, connect=2.0)) as client:
        with pytest.raises(OutcomeUnknown) as info:
            await client.stk_push(**_push(callback_receiver))
    assert "Wait" in info.value.user_message
    # The customer was prompted once and paid once: exactly one callback.
    (body,) = await callback_receiver.wait_for(1)
    assert parse_stk_callback(body).paid
    # The simulator logs the push once its held-back answer is written.
    for _ in range(300):
        if pushes := await sim.control.received(PUSH_PATH):
            break
        await asyncio.sleep(0.02)
    assert len(pushes) == 1


async def test_nothing_listening_is_connect_failed() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    async with DarajaClient(credentials(), base_url=url, retry_backoff=0.01) as client:
        with pytest.raises(ConnectFailed) as info:
            await client.stk_push(
                amount=1,
                phone="0700000000",
                callback_url="http://127.0.0.1:9/stk",
                account_reference="Duka",
                description="Sale",
            )
    assert "internet" in info.value.user_message
