"""The control API: faults, latency, callback mangling, logs (daraja_sim/README.md)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from daraja_sim import SimControlError
from tests.daraja_sim.daraja import STK_PATH, assert_envelope, authed, stk_body
from tests.support.sim_fixtures import RunningSim


@pytest.mark.parametrize(
    ("kind", "code", "message"),
    [
        ("5xx", "500.003.1001", "Internal Server Error"),
        ("spike", "500.003.02", "Error Occurred: Spike Arrest Violation"),
        ("quota", "500.003.03", "Error Occurred: Quota Violation"),
    ],
)
async def test_fault_applies_count_times_to_its_path(
    sim: RunningSim, callback_receiver, kind: str, code: str, message: str
) -> None:
    await sim.control.set_fault(kind, path=STK_PATH, count=1)
    async with authed(sim.url) as client:
        failed = await client.post(STK_PATH, json=stk_body("254700000000", callback_receiver.url))
        ok = await client.post(STK_PATH, json=stk_body("254700000000", callback_receiver.url))
    assert_envelope(failed, code, message)
    assert ok.status_code == 200


async def test_fault_on_star_hits_every_api_until_cleared(sim: RunningSim) -> None:
    await sim.control.set_fault("5xx", count=None)
    async with httpx.AsyncClient(base_url=sim.url) as client:
        for _ in range(2):
            response = await client.get(
                "/oauth/v1/generate?grant_type=client_credentials",
                auth=("duka-sim-key", "duka-sim-secret"),
            )
            assert_envelope(response, "500.003.1001")
        assert (await client.get("/__sim__/prompts")).status_code == 200  # control never faulted
        await sim.control.clear_faults()
        response = await client.get(
            "/oauth/v1/generate?grant_type=client_credentials",
            auth=("duka-sim-key", "duka-sim-secret"),
        )
    assert response.status_code == 200


async def test_timeout_fault_acts_then_withholds_the_answer(
    sim: RunningSim, callback_receiver
) -> None:
    await sim.control.set_fault("timeout", path=STK_PATH, seconds=1.0)
    async with authed(sim.url) as client:  # the token call keeps a timeout a busy box can meet
        with pytest.raises(httpx.ReadTimeout):
            await client.post(
                STK_PATH, json=stk_body("254700000000", callback_receiver.url), timeout=0.2
            )
    # The push reached "Daraja": the customer paid and the callback still arrives.
    [callback] = await callback_receiver.wait_for(1)
    assert callback["Body"]["stkCallback"]["ResultCode"] == 0


async def test_latency_delays_but_does_not_change_answers(
    sim: RunningSim, callback_receiver
) -> None:
    await sim.control.set_latency(0.05, path=STK_PATH)
    async with authed(sim.url) as client:
        response = await client.post(STK_PATH, json=stk_body("254700000000", callback_receiver.url))
    assert response.json()["ResponseCode"] == "0"


async def test_drop_then_normal(sim: RunningSim, callback_receiver) -> None:
    await sim.control.set_callback_mode("drop", count=1)
    async with authed(sim.url) as client:
        await client.post(STK_PATH, json=stk_body("254700000000", callback_receiver.url + "/a"))
        await client.post(STK_PATH, json=stk_body("254700000000", callback_receiver.url + "/b"))
    await callback_receiver.wait_for(1)
    await asyncio.sleep(0.1)
    assert [r.path for r in callback_receiver.received] == ["/b"]
    dropped = [s for s in await sim.control.sent(kind="stk") if s["fault"] == "drop"]
    assert len(dropped) == 1 and dropped[0]["status"] is None


async def test_duplicate(sim: RunningSim, callback_receiver) -> None:
    await sim.control.set_callback_mode("duplicate", count=1)
    async with authed(sim.url) as client:
        await client.post(STK_PATH, json=stk_body("254700000000", callback_receiver.url))
    first, second = await callback_receiver.wait_for(2)
    assert first == second


async def test_delay(sim: RunningSim, callback_receiver) -> None:
    await sim.control.set_callback_mode("delay", count=1, seconds=0.3)
    async with authed(sim.url) as client:
        await client.post(STK_PATH, json=stk_body("254700000000", callback_receiver.url))
    await callback_receiver.wait_for(1, timeout=10)
    [sent] = await sim.control.sent(kind="stk")
    assert sent["fault"] == "delay" and sent["status"] == 200


async def test_reorder_delivers_a_batch_backwards(sim: RunningSim, callback_receiver) -> None:
    await sim.control.set_callback_mode("reorder", count=3)
    async with authed(sim.url) as client:
        for name in ("first", "second", "third"):
            await client.post(
                STK_PATH, json=stk_body("254700000000", f"{callback_receiver.url}/{name}")
            )
            await asyncio.sleep(0.02)
    await callback_receiver.wait_for(3)
    assert [r.path for r in callback_receiver.received] == ["/third", "/second", "/first"]


async def test_received_log_masks_secrets(sim: RunningSim, callback_receiver) -> None:
    async with authed(sim.url) as client:
        await client.post(STK_PATH, json=stk_body("254700000000", callback_receiver.url))
    [record] = await sim.control.received(path=STK_PATH)
    assert record["body"]["Password"] == "***"
    assert record["body"]["Amount"] == 250
    assert record["status"] == 200
    everything = str(await sim.control.received())
    assert "duka-sim-secret" not in everything
    await sim.control.clear_log()
    assert await sim.control.received() == []


@pytest.mark.parametrize(
    ("call", "args"),
    [
        ("set_fault", ("meteor",)),
        ("set_callback_mode", ("sideways",)),
        ("enter_pin", ("254799999999",)),
        ("pay", ("174379", "254700000000", 10)),
        ("pay", ("600984", "0700000000", 10)),
    ],
)
async def test_bad_control_requests_are_clear_400s(sim: RunningSim, call: str, args: tuple) -> None:
    with pytest.raises(SimControlError) as raised:
        await getattr(sim.control, call)(*args)
    assert raised.value.status == 400
    assert raised.value.body["errorMessage"].startswith("Bad Request - ")


async def test_control_docs_and_cert_pages(sim: RunningSim) -> None:
    async with httpx.AsyncClient(base_url=sim.url) as client:
        docs = await client.get("/__sim__/")
        cert = await client.get("/__sim__/cert.pem")
    assert docs.status_code == 200 and "/__sim__/faults" in docs.text
    assert cert.text.startswith("-----BEGIN CERTIFICATE-----")
