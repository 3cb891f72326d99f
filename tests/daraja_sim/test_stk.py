"""STK Push, its callback and STK Push Query (REFERENCE.md §3-§5, §12 STK bullets)."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime

import pytest

from daraja_sim import SimConfig
from tests.daraja_sim.daraja import (
    QUERY_PATH,
    STK_PATH,
    assert_envelope,
    authed,
    metadata,
    query_body,
    stk_body,
    till_body,
)
from tests.support.sim_fixtures import RunningSim

CHECKOUT_ID = re.compile(r"ws_CO_\d{2}\d{2}\d{4}\d{6}\d{3}\d{9}\d+")
RECEIPT = re.compile(r"[A-Z][A-L][1-9A-V][A-Z0-9]{7}")


async def push(sim: RunningSim, body: dict) -> dict:
    async with authed(sim.url) as client:
        response = await client.post(STK_PATH, json=body)
    assert response.status_code == 200, response.text
    return response.json()


async def test_acknowledgement_shape(sim: RunningSim, callback_receiver) -> None:
    ack = await push(sim, stk_body("254708374149", callback_receiver.url + "/stk"))
    assert set(ack) == {
        "MerchantRequestID",
        "CheckoutRequestID",
        "ResponseCode",
        "ResponseDescription",
        "CustomerMessage",
    }
    assert ack["ResponseCode"] == "0"  # a string in the acknowledgement (§12)
    assert ack["ResponseDescription"] == "Success. Request accepted for processing"
    assert CHECKOUT_ID.fullmatch(ack["CheckoutRequestID"])
    assert ack["CheckoutRequestID"][23:32] == "708374149"  # ws_CO_ + 14 + 3 ms, then subscriber
    assert re.fullmatch(
        r"[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\d{6}", ack["MerchantRequestID"]
    )


async def test_sandbox_number_pays_with_exact_callback_body(
    sim: RunningSim, callback_receiver
) -> None:
    ack = await push(sim, stk_body("254708374149", callback_receiver.url + "/stk", amount="250"))
    [callback] = await callback_receiver.wait_for(1)
    stk = callback["Body"]["stkCallback"]
    assert stk["CheckoutRequestID"] == ack["CheckoutRequestID"]
    assert stk["MerchantRequestID"] == ack["MerchantRequestID"]
    assert stk["ResultCode"] == 0 and isinstance(stk["ResultCode"], int)  # number (§4)
    assert stk["ResultDesc"] == "The service request is processed successfully."
    items = metadata(callback)
    assert items["Amount"] == 250
    assert RECEIPT.fullmatch(items["MpesaReceiptNumber"])
    assert isinstance(items["TransactionDate"], int) and len(str(items["TransactionDate"])) == 14
    assert items["PhoneNumber"] == 254708374149
    assert "Balance" not in items  # optional, off by default
    assert "AccountReference" not in str(callback)  # never echoed back (§4)


async def test_balance_item_is_value_less_when_enabled(start_sim, callback_receiver) -> None:
    running = start_sim(stk_balance_item=True)
    await push(running, stk_body("254700000000", callback_receiver.url))
    [callback] = await callback_receiver.wait_for(1)
    items = callback["Body"]["stkCallback"]["CallbackMetadata"]["Item"]
    assert {"Name": "Balance"} in items


@pytest.mark.parametrize(
    ("phone", "code", "desc"),
    [
        ("254700000001", 1032, "Request cancelled by user"),
        ("254700000002", 2001, "The initiator information is invalid."),
        ("254700000003", 1037, "DS timeout user cannot be reached"),
        ("254700000004", 1, "The balance is insufficient for the transaction."),
        ("254700000008", 1019, "Transaction has expired."),
        ("254700000009", 8006, "The security credential is locked."),
    ],
)
async def test_scripted_failures_have_no_metadata(
    sim: RunningSim, callback_receiver, phone: str, code: int, desc: str
) -> None:
    ack = await push(sim, stk_body(phone, callback_receiver.url))
    [callback] = await callback_receiver.wait_for(1)
    stk = callback["Body"]["stkCallback"]
    assert stk == {
        "MerchantRequestID": ack["MerchantRequestID"],
        "CheckoutRequestID": ack["CheckoutRequestID"],
        "ResultCode": code,
        "ResultDesc": desc,
    }
    async with authed(sim.url) as client:
        query = await client.post(QUERY_PATH, json=query_body(ack["CheckoutRequestID"]))
    assert query.status_code == 200
    assert query.json()["ResultCode"] == str(code)  # a string in the query (§5)


@pytest.mark.parametrize("phone", ["254700000000", "254110000000"])
async def test_paying_numbers(sim: RunningSim, callback_receiver, phone: str) -> None:
    await push(sim, stk_body(phone, callback_receiver.url))
    [callback] = await callback_receiver.wait_for(1)
    assert callback["Body"]["stkCallback"]["ResultCode"] == 0
    assert metadata(callback)["PhoneNumber"] == int(phone)


async def test_no_callback_number_still_answers_query(sim: RunningSim, callback_receiver) -> None:
    ack = await push(sim, stk_body("254700000005", callback_receiver.url))
    async with authed(sim.url) as client:
        for _ in range(200):
            query = await client.post(QUERY_PATH, json=query_body(ack["CheckoutRequestID"]))
            if query.status_code == 200:
                break
            await asyncio.sleep(0.01)
    assert query.json()["ResultCode"] == "0"
    await asyncio.sleep(0.2)
    assert callback_receiver.received == []
    assert await sim.control.sent(kind="stk") == []


async def test_twice_number_gets_identical_callbacks(sim: RunningSim, callback_receiver) -> None:
    await push(sim, stk_body("254700000006", callback_receiver.url))
    first, second = await callback_receiver.wait_for(2)
    assert first == second


async def test_late_number_callback_comes_after_slow_delay(start_sim, callback_receiver) -> None:
    running = start_sim(slow_callback_seconds=0.5)
    ack = await push(running, stk_body("254700000007", callback_receiver.url))
    status = await running.control.stk_transaction(ack["CheckoutRequestID"])
    for _ in range(100):
        if not status["pending"]:
            break
        await asyncio.sleep(0.01)
        status = await running.control.stk_transaction(ack["CheckoutRequestID"])
    assert status["result_code"] == 0  # settled before the callback leaves
    [callback] = await callback_receiver.wait_for(1, timeout=10)
    assert callback["Body"]["stkCallback"]["ResultCode"] == 0


async def test_query_while_pending_is_500_being_processed(
    sim: RunningSim, callback_receiver
) -> None:
    ack = await push(sim, stk_body("254711111111", callback_receiver.url))
    async with authed(sim.url) as client:
        response = await client.post(QUERY_PATH, json=query_body(ack["CheckoutRequestID"]))
    assert_envelope(response, "500.001.1001", "The transaction is being processed")
    assert response.json()["requestId"] == ack["CheckoutRequestID"]


async def test_query_success_shape_has_typo_and_strings(sim: RunningSim, callback_receiver) -> None:
    ack = await push(sim, stk_body("254700000000", callback_receiver.url))
    await callback_receiver.wait_for(1)
    async with authed(sim.url) as client:
        response = await client.post(QUERY_PATH, json=query_body(ack["CheckoutRequestID"]))
    assert response.json() == {
        "ResponseCode": "0",
        "ResponseDescription": "The service request has been accepted successsfully",
        "MerchantRequestID": ack["MerchantRequestID"],
        "CheckoutRequestID": ack["CheckoutRequestID"],
        "ResultCode": "0",
        "ResultDesc": "The service request is processed successfully.",
    }


async def test_query_unknown_checkout_id(sim: RunningSim) -> None:
    async with authed(sim.url) as client:
        response = await client.post(QUERY_PATH, json=query_body("ws_CO_nope"))
    assert_envelope(response, "400.002.02", "Bad Request - Invalid CheckoutRequestID")


async def test_wrong_password_is_wrong_credentials(sim: RunningSim, callback_receiver) -> None:
    body = stk_body("254700000000", callback_receiver.url, Timestamp="20261204193001")
    async with authed(sim.url) as client:
        response = await client.post(STK_PATH, json=body)
    assert_envelope(response, "500.001.1001", "Wrong credentials")


@pytest.mark.parametrize("shortcode", ["600984", "300301", "123456"])
async def test_unknown_stk_shortcode_is_merchant_does_not_exist(
    sim: RunningSim, callback_receiver, shortcode: str
) -> None:
    body = stk_body("254700000000", callback_receiver.url, BusinessShortCode=shortcode)
    async with authed(sim.url) as client:
        response = await client.post(STK_PATH, json=body)
    assert_envelope(response, "500.001.1001", "Merchant does not exist")


async def test_till_push_pays_into_the_till(sim: RunningSim, callback_receiver) -> None:
    before = await sim.control.balance("300301")
    await push(sim, till_body("254700000000", callback_receiver.url, amount=120))
    [callback] = await callback_receiver.wait_for(1)
    assert callback["Body"]["stkCallback"]["ResultCode"] == 0
    assert await sim.control.balance("300301") == before + 120


@pytest.mark.parametrize(
    "overrides",
    [
        {"PartyB": "300300"},  # store number where the till belongs
        {"TransactionType": "CustomerPayBillOnline"},  # till merchant, paybill type
    ],
)
async def test_wrong_till_combination_results_in_2028(
    sim: RunningSim, callback_receiver, overrides: dict
) -> None:
    await push(sim, till_body("254700000000", callback_receiver.url, **overrides))
    [callback] = await callback_receiver.wait_for(1)
    stk = callback["Body"]["stkCallback"]
    assert stk["ResultCode"] == 2028
    assert "CallbackMetadata" not in stk


async def test_paybill_with_buy_goods_type_results_in_2028(
    sim: RunningSim, callback_receiver
) -> None:
    body = stk_body("254700000000", callback_receiver.url, TransactionType="CustomerBuyGoodsOnline")
    await push(sim, body)
    [callback] = await callback_receiver.wait_for(1)
    assert callback["Body"]["stkCallback"]["ResultCode"] == 2028


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("BusinessShortCode", "17437a"),
        ("BusinessShortCode", True),
        ("Timestamp", "2026120419300"),
        ("Timestamp", "20261340193000"),
        ("TransactionType", "customerpaybillonline"),
        ("Amount", 1.5),
        ("Amount", 0),
        ("Amount", -5),
        ("Amount", 250_001),
        ("Amount", "ten"),
        ("Amount", None),
        ("PartyA", "0712345678"),
        ("PhoneNumber", "+254712345678"),
        ("PhoneNumber", 254812345678),
        ("PartyB", "abc"),
        ("CallBackURL", " https://example.com/cb"),
        ("CallBackURL", "example.com/cb"),
        ("CallBackURL", None),
        ("AccountReference", "ABCDEFGHIJKLM"),
        ("AccountReference", ["x"]),
        ("AccountReference", ""),
        ("AccountReference", None),
        ("TransactionDesc", "ABCDEFGHIJKLMN"),
        ("Password", None),
    ],
)
async def test_field_rules_give_invalid_field(
    sim: RunningSim, callback_receiver, field: str, value: object
) -> None:
    body = stk_body("254700000000", callback_receiver.url)
    if value is None:
        del body[field]
    else:
        body[field] = value
    async with authed(sim.url) as client:
        response = await client.post(STK_PATH, json=body)
    assert_envelope(response, "400.002.02", f"Bad Request - Invalid {field}")


@pytest.mark.parametrize("amount", [1, "1", 1.0, 250_000])
async def test_whole_amounts_in_any_json_type_are_accepted(
    sim: RunningSim, callback_receiver, amount: object
) -> None:
    ack = await push(sim, stk_body("254700000000", callback_receiver.url, amount=amount))
    assert ack["ResponseCode"] == "0"


async def test_interactive_pin_pays_and_cancel_cancels(sim: RunningSim, callback_receiver) -> None:
    first = await push(sim, stk_body("254712345678", callback_receiver.url, amount=100))
    [prompt] = await sim.control.prompts()
    assert prompt["text"] == "Pay KSh 100 to MAMA MBOGA STORES? Enter M-PESA PIN"
    await sim.control.enter_pin("254712345678", "0000")
    [paid] = await callback_receiver.wait_for(1)
    assert paid["Body"]["stkCallback"]["CheckoutRequestID"] == first["CheckoutRequestID"]
    assert paid["Body"]["stkCallback"]["ResultCode"] == 0
    await push(sim, stk_body("254712345678", callback_receiver.url, amount=101))
    await sim.control.cancel_prompt("254712345678")
    cancelled = (await callback_receiver.wait_for(2))[1]
    assert cancelled["Body"]["stkCallback"]["ResultCode"] == 1032


async def test_interactive_prompt_times_out_with_1037(start_sim, callback_receiver) -> None:
    running = start_sim(prompt_timeout_seconds=0.2)
    await push(running, stk_body("254722000000", callback_receiver.url))
    [callback] = await callback_receiver.wait_for(1, timeout=10)
    assert callback["Body"]["stkCallback"]["ResultCode"] == 1037
    assert await running.control.prompts() == []


async def test_second_push_while_prompt_open_cannot_lock_subscriber(
    sim: RunningSim, callback_receiver
) -> None:
    await push(sim, stk_body("254733000000", callback_receiver.url))
    async with authed(sim.url) as client:
        response = await client.post(STK_PATH, json=stk_body("254733000000", callback_receiver.url))
    assert_envelope(
        response,
        "500.001.1001",
        "Unable to lock subscriber, a transaction is already in process for the current subscriber",
    )


async def test_scripted_numbers_are_exempt_from_lock(sim: RunningSim, callback_receiver) -> None:
    async with authed(sim.url) as client:
        for _ in range(3):
            response = await client.post(
                STK_PATH, json=stk_body("254700000000", callback_receiver.url)
            )
            assert response.status_code == 200
    await callback_receiver.wait_for(3)


async def test_same_amount_again_within_window_is_rule_17(
    sim: RunningSim, callback_receiver
) -> None:
    await push(sim, stk_body("254744000000", callback_receiver.url, amount=77))
    await sim.control.enter_pin("254744000000")
    await callback_receiver.wait_for(1)
    await push(sim, stk_body("254744000000", callback_receiver.url, amount=77))
    second = (await callback_receiver.wait_for(2))[1]
    assert second["Body"]["stkCallback"]["ResultCode"] == 17
    await push(sim, stk_body("254744000000", callback_receiver.url, amount=78))
    assert await sim.control.prompts() != []  # another amount prompts normally


async def test_insufficient_ledger_balance_is_result_1(start_sim, callback_receiver) -> None:
    running = start_sim(customer_opening_balance=100)
    await push(running, stk_body("254755000000", callback_receiver.url, amount=101))
    await running.control.enter_pin("254755000000")
    [callback] = await callback_receiver.wait_for(1)
    assert callback["Body"]["stkCallback"]["ResultCode"] == 1
    assert await running.control.balance("254755000000") == 100


async def test_checkout_ids_unique_under_concurrent_load(
    sim: RunningSim, callback_receiver
) -> None:
    body = stk_body("254700000000", callback_receiver.url)
    async with authed(sim.url) as client:
        responses = await asyncio.gather(*(client.post(STK_PATH, json=body) for _ in range(200)))
    ids = [r.json()["CheckoutRequestID"] for r in responses]
    assert len(set(ids)) == 200
    callbacks = await callback_receiver.wait_for(200, timeout=30)
    receipts = {metadata(cb)["MpesaReceiptNumber"] for cb in callbacks}
    assert len(receipts) == 200


async def test_seed_and_clock_make_runs_reproducible(start_sim, callback_receiver) -> None:
    frozen = datetime(2024, 7, 6, 19, 48, 52, tzinfo=UTC)
    results = []
    for _ in range(2):
        running = start_sim(SimConfig(seed=7, callback_delay_seconds=0, clock=lambda: frozen))
        ack = await push(running, stk_body("254700000000", callback_receiver.url))
        results.append(ack)
    assert results[0] == results[1]
    assert results[0]["CheckoutRequestID"].startswith("ws_CO_06072024224852000700000000")
    callbacks = await callback_receiver.wait_for(2)
    receipts = [metadata(cb)["MpesaReceiptNumber"] for cb in callbacks]
    assert receipts[0] == receipts[1]
    assert receipts[0].startswith("SG6")  # 2024-07-06 in Nairobi (§12)


async def test_till_push_may_leave_account_reference_out(
    sim: RunningSim, callback_receiver
) -> None:
    body = till_body("254700000000", callback_receiver.url)
    del body["AccountReference"]
    del body["TransactionDesc"]
    ack = await push(sim, body)
    assert ack["ResponseCode"] == "0"
