"""C2B register URL, simulate, validation and confirmation (REFERENCE.md §6, §12 C2B bullet)."""

from __future__ import annotations

import asyncio
import hashlib

import pytest

from tests.daraja_sim.daraja import assert_envelope, authed
from tests.support.sim_fixtures import RunningSim

V2_REGISTER = "/mpesa/c2b/v2/registerurl"
V1_REGISTER = "/mpesa/c2b/v1/registerurl"


def register_body(
    base: str, shortcode: object = "600984", response_type: str = "Completed"
) -> dict:
    return {
        "ShortCode": shortcode,
        "ResponseType": response_type,
        "ConfirmationURL": f"{base}/c2b/confirm",
        "ValidationURL": f"{base}/c2b/validate",
    }


def simulate_body(shortcode: object = 600984, msisdn: object = 254708374149, amount: object = 10):
    return {
        "ShortCode": shortcode,
        "CommandID": "CustomerPayBillOnline",
        "Amount": amount,
        "Msisdn": msisdn,
        "BillRefNumber": "TestRef",
    }


async def test_register_v2_uses_misspelt_originator_key(sim: RunningSim, callback_receiver) -> None:
    async with authed(sim.url) as client:
        response = await client.post(V2_REGISTER, json=register_body(callback_receiver.url))
    body = response.json()
    assert response.status_code == 200
    assert set(body) == {"OriginatorCoversationID", "ResponseCode", "ResponseDescription"}
    assert body["ResponseCode"] == "0"
    assert body["ResponseDescription"] == "Success"


async def test_register_v1_legacy_shape(sim: RunningSim, callback_receiver) -> None:
    async with authed(sim.url) as client:
        response = await client.post(V1_REGISTER, json=register_body(callback_receiver.url))
    body = response.json()
    assert set(body) == {"OriginatorCoversationID", "ConversationID", "ResponseDescription"}


@pytest.mark.parametrize(
    ("word", "label"),
    [
        ("mpesa", "MPESA"),
        ("M-PESA", "MPESA"),
        ("MPesa", "MPESA"),
        ("safaricom", "SAFARICOM"),
        ("exec", "EXEC"),
        ("exe", "EXE"),
        ("cmd", "CMD"),
        ("sql", "SQL"),
        ("query", "QUERY"),
    ],
)
async def test_forbidden_url_words(sim: RunningSim, word: str, label: str) -> None:
    body = register_body("https://shop.example")
    body["ValidationURL"] = f"https://shop.example/{word}/validate"
    async with authed(sim.url) as client:
        response = await client.post(V2_REGISTER, json=body)
    assert_envelope(
        response, "400.003.02", f"Bad Request - Invalid ValidationURL - URL has the word {label}"
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("ResponseType", "completed"),
        ("ResponseType", "Accepted"),
        ("ShortCode", "60098x"),
        ("ConfirmationURL", "https://shop.example/c onfirm"),
        ("ConfirmationURL", "ftp://shop.example/c"),
    ],
)
async def test_register_field_rules(sim: RunningSim, field: str, value: str) -> None:
    body = register_body("https://shop.example")
    body[field] = value
    async with authed(sim.url) as client:
        response = await client.post(V2_REGISTER, json=body)
    assert_envelope(response, "400.003.02", f"Bad Request - Invalid {field}")


async def test_stk_only_paybill_cannot_register(sim: RunningSim) -> None:
    async with authed(sim.url) as client:
        response = await client.post(
            V2_REGISTER, json=register_body("https://shop.example", "174379")
        )
    assert_envelope(response, "400.003.02", "Bad Request - Invalid ShortCode")


@pytest.mark.parametrize("shortcode", ["600984", "600000", "300301", "300300"])
async def test_simulate_sends_validation_then_confirmation(
    sim: RunningSim, callback_receiver, shortcode: str
) -> None:
    async with authed(sim.url) as client:
        await client.post(V2_REGISTER, json=register_body(callback_receiver.url, shortcode))
        response = await client.post("/mpesa/c2b/v2/simulate", json=simulate_body(shortcode))
    assert response.json()["ResponseDescription"] == "Accept the service request successfully."
    assert set(response.json()) == {
        "OriginatorCoversationID",
        "ResponseCode",
        "ResponseDescription",
    }
    validation, confirmation = await callback_receiver.wait_for(2)
    assert [r.path for r in callback_receiver.received] == ["/c2b/validate", "/c2b/confirm"]
    for body in (validation, confirmation):
        assert all(isinstance(v, str) for v in body.values()), body  # all strings (§6.2)
        assert body["MSISDN"] == "2547 ***** 149"
        assert body["TransAmount"] == "10.00"
        assert body["BusinessShortCode"] == shortcode
        assert body["TransactionType"] == "Pay Bill"
        assert len(body["TransID"]) == 10
    assert validation["OrgAccountBalance"] == ""
    assert confirmation["OrgAccountBalance"] == f"{1_000_000 + 10}.00"
    assert validation["TransID"] == confirmation["TransID"]


async def test_v1_registration_hashes_the_msisdn(sim: RunningSim, callback_receiver) -> None:
    async with authed(sim.url) as client:
        await client.post(V1_REGISTER, json=register_body(callback_receiver.url))
        response = await client.post("/mpesa/c2b/v1/simulate", json=simulate_body())
    assert response.json()["ConversationID"].startswith("AG_")
    validation, _ = await callback_receiver.wait_for(2)
    assert validation["MSISDN"] == hashlib.sha256(b"254708374149").hexdigest()


async def test_rejecting_validation_stops_the_payment(sim: RunningSim, callback_receiver) -> None:
    callback_receiver.respond(
        {"ResultCode": "C2B00012", "ResultDesc": "Rejected"}, path="/c2b/validate"
    )
    async with authed(sim.url) as client:
        await client.post(V2_REGISTER, json=register_body(callback_receiver.url))
    result = await sim.control.pay("600984", "254700000000", 50, account="ACC1")
    assert result["status"] == "rejected"
    await asyncio.sleep(0.1)
    assert [r.path for r in callback_receiver.received] == ["/c2b/validate"]
    assert await sim.control.balance("254700000000") == 50_000


async def test_third_party_trans_id_is_echoed(sim: RunningSim, callback_receiver) -> None:
    callback_receiver.respond(
        {"ResultCode": "0", "ResultDesc": "Accepted", "ThirdPartyTransID": "ORDER-9"},
        path="/c2b/validate",
    )
    async with authed(sim.url) as client:
        await client.post(V2_REGISTER, json=register_body(callback_receiver.url))
    await sim.control.pay("600984", "254700000000", 50)
    _, confirmation = await callback_receiver.wait_for(2)
    assert confirmation["ThirdPartyTransID"] == "ORDER-9"


@pytest.mark.parametrize(
    ("response_type", "confirmed"), [("Completed", True), ("Cancelled", False)]
)
async def test_slow_merchant_falls_back_to_response_type(
    start_sim, callback_receiver, response_type: str, confirmed: bool
) -> None:
    running = start_sim(validation_timeout_seconds=0.2)
    callback_receiver.respond(delay=1.0, path="/c2b/validate")
    async with authed(running.url) as client:
        await client.post(
            V2_REGISTER, json=register_body(callback_receiver.url, response_type=response_type)
        )
    result = await running.control.pay("600984", "254700000000", 50)
    assert (result["status"] == "completed") is confirmed
    if confirmed:
        await callback_receiver.wait_for(1, path="/c2b/confirm")
    [sent] = await running.control.sent(kind="c2b_validation")
    assert sent["error"].startswith("TimeoutError")


async def test_merchant_down_falls_back_to_response_type(
    sim: RunningSim, callback_receiver
) -> None:
    body = register_body(callback_receiver.url)
    body["ValidationURL"] = "http://127.0.0.1:9/c2b/validate"  # nothing listens on port 9
    async with authed(sim.url) as client:
        await client.post(V2_REGISTER, json=body)
    result = await sim.control.pay("600984", "254700000000", 50)
    assert result["status"] == "completed"
    [confirmation] = await callback_receiver.wait_for(1)
    assert confirmation["TransAmount"] == "50.00"


async def test_paying_till_moves_money_and_sends_sms(sim: RunningSim, callback_receiver) -> None:
    async with authed(sim.url) as client:
        await client.post(V2_REGISTER, json=register_body(callback_receiver.url, "300301"))
    result = await sim.control.pay("300301", "254700000000", 300)
    assert result["status"] == "completed"
    _, confirmation = await callback_receiver.wait_for(2)
    assert confirmation["TransactionType"] == "Buy Goods"
    assert confirmation["BillRefNumber"] == ""
    assert await sim.control.balance("254700000000") == 50_000 - 300
    assert await sim.control.balance("300301") == 1_000_000 + 300


async def test_unregistered_shortcode_completes_silently(
    sim: RunningSim, callback_receiver
) -> None:
    result = await sim.control.pay("600111", "254700000000", 20)
    assert result["status"] == "completed"
    assert await sim.control.balance("600111") == 1_000_000 + 20


@pytest.mark.parametrize(
    ("field", "value"),
    [("Msisdn", "0712345678"), ("Amount", 2.5), ("CommandID", "PayBill"), ("ShortCode", "174379")],
)
async def test_simulate_field_rules(sim: RunningSim, field: str, value: object) -> None:
    body = simulate_body()
    body[field] = value
    async with authed(sim.url) as client:
        response = await client.post("/mpesa/c2b/v2/simulate", json=body)
    assert_envelope(response, "400.003.02", f"Bad Request - Invalid {field}")


async def test_null_fields_quirk(start_sim, callback_receiver) -> None:
    running = start_sim(c2b_null_fields=True)
    async with authed(running.url) as client:
        await client.post(V2_REGISTER, json=register_body(callback_receiver.url))
    await running.control.pay("600984", "254700000000", 5)
    [confirmation] = await callback_receiver.wait_for(1, path="/c2b/confirm")
    assert confirmation["InvoiceNumber"] is None
    assert confirmation["ThirdPartyTransID"] is None
