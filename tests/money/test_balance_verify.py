"""Balance (parsed, cached) and verify a code (our ledger first, then Transaction Status)."""

from __future__ import annotations

from daraja_sim import SimController
from tests.money.conftest import TILL
from tests.money.helpers import paid_payment
from tests.support.backend_fixtures import RunningBackend

BALANCE_PATH = "/mpesa/accountbalance/v1/query"
STATUS_PATH = "/mpesa/transactionstatus/v1/query"


async def test_balance_is_parsed_into_named_accounts_and_cached(
    shop: RunningBackend, sim_control: SimController
) -> None:
    http = shop.client(shop.owner_token)
    await paid_payment(http, 400)
    first = await http.get("/v1/balance")
    assert first.status_code == 200, first.text
    body = first.json()
    names = [a["name"] for a in body["accounts"]]
    assert "Utility Account" in names and "Working Account" in names
    assert body["available"] == await sim_control.balance(TILL)
    assert body["cached"] is False
    second = (await http.get("/v1/balance")).json()
    assert second["cached"] is True and second["available"] == body["available"]
    assert len(await sim_control.received(BALANCE_PATH)) == 1


async def test_verify_answers_from_our_ledger_first(
    shop: RunningBackend, sim_control: SimController
) -> None:
    http = shop.client(shop.owner_token)
    payment = await paid_payment(http, 350)
    _, cashier_token = await shop.cashier()
    cashier = shop.client(cashier_token)
    answer = await cashier.get(f"/v1/verify/{payment['receipt'].lower()}")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["verdict"] == "genuine" and body["source"] == "ledger"
    assert body["amount"] == 350 and body["already_used"] is True
    assert "Genuine" in body["message"]
    assert await sim_control.received(STATUS_PATH) == []


async def test_verify_asks_mpesa_for_codes_we_do_not_hold(
    shop: RunningBackend, sim_control: SimController
) -> None:
    http = shop.client(shop.owner_token)
    elsewhere = await sim_control.pay("600000", "254722000111", 700)
    other = (await http.get(f"/v1/verify/{elsewhere['TransID']}")).json()
    assert other["verdict"] == "other_business", other
    assert other["source"] == "mpesa" and other["amount"] == 700
    assert "another business" in other["message"]
    unknown = (await http.get("/v1/verify/ZZZ9ZZZ9ZZ")).json()
    assert unknown["verdict"] == "not_found"
    assert "Not found" in unknown["message"]
    bad = await http.get("/v1/verify/hello")
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_receipt"
    assert len(await sim_control.received(STATUS_PATH)) == 2


async def test_a_timed_out_query_says_try_again(
    shop: RunningBackend, sim_control: SimController
) -> None:
    http = shop.client(shop.owner_token)
    await sim_control.time_out_results(1)
    balance = await http.get("/v1/balance")
    assert balance.status_code == 504 and balance.json()["code"] == "mpesa_no_answer"
    assert "Try again" in balance.json()["detail"]
    await sim_control.time_out_results(1)
    verdict = (await http.get("/v1/verify/SAB1CDE2FG")).json()
    assert verdict["verdict"] == "unknown" and "Try again" in verdict["message"]
    assert (await http.get("/v1/balance")).status_code == 200  # the next one goes through
