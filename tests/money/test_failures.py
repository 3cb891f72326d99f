"""Each tool fails the way Daraja fails, with a plain message; lost Results are recovered."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from backend.daraja import DarajaClient, DarajaCredentials
from daraja_sim import INITIATOR, SANDBOX_PASSKEY, SimController
from tests.money.conftest import INITIATOR_PASSWORD, TILL
from tests.money.helpers import paid_payment, payout, refund, wait_payout, wait_refund
from tests.support.backend_fixtures import PAYS, RunningBackend
from tests.support.servers import ServerThread

STATUS_PATH = "/mpesa/transactionstatus/v1/query"


async def test_wrong_initiator_credential_is_2001_everywhere(
    money_backend: Callable[..., Any], sim_control: SimController
) -> None:
    shop: RunningBackend = await money_backend(initiator_password="not-the-password")
    http = shop.client(shop.owner_token)
    payment = await paid_payment(http, 200)
    await refund(http, payment["id"])
    failed = await wait_refund(http, payment["id"], "failed", "refunded")
    assert failed["result_code"] == "2001"
    assert "initiator name or password" in failed["reason"]
    balance = await http.get("/v1/balance")
    assert balance.status_code == 502 and "2001" in balance.json()["detail"]
    created = await payout(http, kind="b2c", phone="0711222333", amount=100)
    await http.post(f"/v1/payouts/{created.json()['id']}/confirm")
    assert (await wait_payout(http, created.json()["id"], "failed"))["result_code"] == "2001"
    # Nothing the owner sees or the audit keeps quotes the initiator password.
    audit = (await http.get("/v1/audit")).json()["items"]
    assert all("not-the-password" not in str(entry) for entry in audit)


async def test_already_reversed_elsewhere_is_r000001(
    shop: RunningBackend, sim_server: ServerThread, sim_cert: Path
) -> None:
    http = shop.client(shop.owner_token)
    payment = await paid_payment(http, 150)
    credentials = DarajaCredentials(
        consumer_key="duka-sim-key",
        consumer_secret="duka-sim-secret",
        shortcode=TILL,
        passkey=SANDBOX_PASSKEY,
        initiator_name=INITIATOR,
        initiator_password=INITIATOR_PASSWORD,
        certificate_path=sim_cert,
    )
    async with DarajaClient(credentials, base_url=sim_server.url) as other_tool:
        await other_tool.reversal(  # someone reversed it on the M-PESA portal
            receipt=payment["receipt"],
            amount=150,
            remarks="Portal reversal",
            result_url=f"{sim_server.url}/nowhere",
            timeout_url=f"{sim_server.url}/nowhere",
        )
    await refund(http, payment["id"])
    failed = await wait_refund(http, payment["id"], "failed", "refunded")
    assert failed["result_code"] == "R000001"
    assert "already reversed" in failed["reason"]


async def test_unknown_receipt_cannot_be_refunded_and_is_not_found(shop: RunningBackend) -> None:
    http = shop.client(shop.owner_token)
    assert (await refund(http, 424242)).status_code == 404
    answer = (await http.get("/v1/verify/SAB1CDE2FG")).json()
    assert answer["verdict"] == "not_found"


async def test_lost_result_is_recovered_by_transaction_status(
    shop: RunningBackend, sim_control: SimController
) -> None:
    http = shop.client(shop.owner_token)
    payment = await paid_payment(http, 260)
    await sim_control.set_callback_mode("drop", count=1)
    await refund(http, payment["id"], 60)  # B2C: looked up by our OriginatorConversationID
    done = await wait_refund(http, payment["id"], "refunded", "failed")
    assert done["status"] == "refunded" and done["receipt"], done
    assert len(await sim_control.received(STATUS_PATH)) >= 1
    created = await payout(http, kind="b2b", receiver="600000", receiver_kind="till", amount=90)
    await sim_control.set_callback_mode("drop", count=1)
    await http.post(f"/v1/payouts/{created.json()['id']}/confirm")
    paid = await wait_payout(http, created.json()["id"], "paid", "failed")
    assert paid["status"] == "paid" and paid["receipt"], paid


async def test_timeout_notice_is_checked_not_failed(
    shop: RunningBackend, sim_control: SimController
) -> None:
    http = shop.client(shop.owner_token)
    payment = await paid_payment(http, 330)
    before = await sim_control.balance(PAYS)
    await sim_control.time_out_results(1)  # M-PESA reverses it, but only says "timed out"
    await refund(http, payment["id"])
    done = await wait_refund(http, payment["id"], "refunded", "failed")
    assert done["status"] == "refunded", done
    assert await sim_control.balance(PAYS) == before + 330
    day = (await http.get("/v1/money/day")).json()
    assert day["refunds"] == 330


async def test_duplicate_results_change_nothing(
    shop: RunningBackend, sim_control: SimController
) -> None:
    http = shop.client(shop.owner_token)
    await sim_control.set_callback_mode("duplicate", count=1)
    created = await payout(http, kind="b2c", phone="0711222333", amount=400)
    await http.post(f"/v1/payouts/{created.json()['id']}/confirm")
    await wait_payout(http, created.json()["id"], "paid")
    results = [
        e for e in (await http.get("/v1/audit", params={"action": "payout.result"})).json()["items"]
    ]
    assert len(results) == 1
    assert (await http.get("/v1/money/day")).json()["payouts"] == 400


async def test_a_cashier_is_refused_everything_but_verify(shop: RunningBackend) -> None:
    owner = shop.client(shop.owner_token)
    payment = await paid_payment(owner, 100)
    draft = (await payout(owner, kind="b2c", phone="0711222333", amount=50)).json()
    _, token = await shop.cashier()
    cashier = shop.client(token)
    attempts = [
        await refund(cashier, payment["id"]),
        await cashier.get(f"/v1/payments/{payment['id']}/refunds"),
        await cashier.get("/v1/refunds"),
        await cashier.get("/v1/balance"),
        await payout(cashier, kind="b2c", phone="0711222333", amount=50),
        await cashier.post(f"/v1/payouts/{draft['id']}/confirm"),
        await cashier.post(f"/v1/payouts/{draft['id']}/cancel"),
        await cashier.get("/v1/payouts"),
        await cashier.get("/v1/audit"),
        await cashier.get("/v1/money/day"),
    ]
    assert [a.status_code for a in attempts] == [403] * len(attempts)
    assert all(a.json()["code"] == "forbidden" for a in attempts)
    assert (await cashier.get(f"/v1/verify/{payment['receipt']}")).status_code == 200
    assert (await owner.get(f"/v1/payouts/{draft['id']}")).json()["status"] == (
        "awaiting_confirmation"
    )


async def test_lost_acknowledgement_is_never_resent_but_checked(
    money_backend: Callable[..., Any], sim_control: SimController
) -> None:
    shop: RunningBackend = await money_backend(daraja_timeout_seconds=0.5)
    http = shop.client(shop.owner_token)
    payment = await paid_payment(http, 210)
    # M-PESA acts on the reversal but its answer never reaches us, nor does the Result.
    await sim_control.set_fault("timeout", path="/mpesa/reversal/v1/request", seconds=2.0)
    await sim_control.set_callback_mode("drop", count=1)
    answer = await refund(http, payment["id"])
    assert answer.status_code == 201 and answer.json()["status"] == "pending"
    done = await wait_refund(http, payment["id"], "refunded", "failed")
    assert done["status"] == "refunded", done  # Transaction Status says the sale is "Reversed"
    assert await _requests_seen(sim_control, "/mpesa/reversal/v1/request") == 1

    created = await payout(http, kind="b2c", phone="0711222333", amount=150)
    await sim_control.set_fault("timeout", path="/mpesa/b2c/v3/paymentrequest", seconds=2.0)
    await sim_control.set_callback_mode("drop", count=1)
    await http.post(f"/v1/payouts/{created.json()['id']}/confirm")
    paid = await wait_payout(http, created.json()["id"], "paid", "failed")
    assert paid["status"] == "paid" and paid["receipt"], paid
    assert await _requests_seen(sim_control, "/mpesa/b2c/v3/paymentrequest") == 1


async def _requests_seen(sim_control: SimController, path: str) -> int:
    """How many requests the simulator logged for `path`, once the held answers are out."""
    for _ in range(100):  # the simulator logs a request when it answers (2 s later here)
        seen = len(await sim_control.received(path))
        if seen:
            return seen
        await asyncio.sleep(0.05)
    return 0


async def test_without_an_initiator_the_tools_say_what_to_set_up(backend: RunningBackend) -> None:
    http = backend.client(backend.owner_token)
    payment = await paid_payment(http, 100)
    for answer in (
        await refund(http, payment["id"]),
        await http.get("/v1/balance"),
        await http.get("/v1/verify/SAB1CDE2FG"),
    ):
        assert answer.status_code == 503
        assert answer.json()["code"] == "initiator_not_configured"
        assert "initiator name and password" in answer.json()["detail"]
    assert (await http.get(f"/v1/verify/{payment['receipt']}")).json()["verdict"] == "genuine"
    assert (await http.get(f"/v1/payments/{payment['id']}/refunds")).json()["items"] == []
