"""B2C, B2B, Transaction Status, Account Balance, Reversal (REFERENCE.md §7, §8, §12)."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from daraja_sim import encrypt_credential
from tests.daraja_sim.daraja import STK_PATH, assert_envelope, authed, metadata, stk_body
from tests.support.sim_fixtures import RunningSim

SANDBOX_PASSWORD = "Safaricom999!*!"  # Daraja's published sandbox test password


async def credential(sim: RunningSim, password: str = SANDBOX_PASSWORD) -> str:
    return encrypt_credential(password, await sim.control.cert_pem())


def urls(base: str) -> dict[str, str]:
    return {"QueueTimeOutURL": f"{base}/timeout", "ResultURL": f"{base}/result"}


async def b2c_body(sim: RunningSim, base: str, **overrides: Any) -> dict[str, Any]:
    body = {
        "OriginatorConversationID": "duka-payout-1",
        "InitiatorName": "testapi",
        "SecurityCredential": await credential(sim),
        "CommandID": "BusinessPayment",
        "Amount": 500,
        "PartyA": 600984,
        "PartyB": 254700000000,
        "Remarks": "Refund",
        "Occassion": "",
        **urls(base),
    }
    body.update(overrides)
    return body


async def test_certificate_is_served_as_pem(sim: RunningSim) -> None:
    cert = x509.load_pem_x509_certificate(await sim.control.cert_pem())
    assert isinstance(cert.public_key(), rsa.RSAPublicKey)
    assert cert.public_key().key_size == 2048


async def test_b2c_v3_pays_and_result_has_b2c_quirks(sim: RunningSim, callback_receiver) -> None:
    async with authed(sim.url) as client:
        response = await client.post(
            "/mpesa/b2c/v3/paymentrequest", json=await b2c_body(sim, callback_receiver.url)
        )
    ack = response.json()
    assert ack["ResponseCode"] == "0"
    assert ack["OriginatorConversationID"] == "duka-payout-1"
    assert re.fullmatch(r"AG_\d{8}_[0-9a-f]{20}", ack["ConversationID"])
    [result] = await callback_receiver.wait_for(1, path="/result")
    res = result["Result"]
    assert res["ResultCode"] == 0  # a number for B2C (§7.2)
    assert res["ConversationID"] == ack["ConversationID"]
    reference = res["ReferenceData"]["ReferenceItem"]
    assert isinstance(reference, dict)
    assert reference["Key"] == "QueueTimeoutURL"  # lower-case "out" here, unlike the request
    params = {p["Key"]: p.get("Value") for p in res["ResultParameters"]["ResultParameter"]}
    assert params["TransactionAmount"] == 500
    assert params["TransactionReceipt"] == res["TransactionID"]
    assert re.fullmatch(
        r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}", params["TransactionCompletedDateTime"]
    )
    assert params["B2CUtilityAccountAvailableFunds"] == 1_000_000 - 500
    assert await sim.control.balance("254700000000") == 50_000 + 500


async def test_b2c_v1_has_no_originator_field(sim: RunningSim, callback_receiver) -> None:
    body = await b2c_body(sim, callback_receiver.url)
    del body["OriginatorConversationID"]
    async with authed(sim.url) as client:
        response = await client.post("/mpesa/b2c/v1/paymentrequest", json=body)
    assert response.json()["ResponseCode"] == "0"
    [result] = await callback_receiver.wait_for(1)
    assert result["Result"]["ResultCode"] == 0


async def test_b2c_duplicate_originator_id(sim: RunningSim, callback_receiver) -> None:
    body = await b2c_body(sim, callback_receiver.url)
    async with authed(sim.url) as client:
        first = await client.post("/mpesa/b2c/v3/paymentrequest", json=body)
        second = await client.post("/mpesa/b2c/v3/paymentrequest", json=body)
    assert first.status_code == 200
    assert_envelope(second, "500.002.1001", "Duplicate OriginatorConversationID.")


@pytest.mark.parametrize("password", ["Safaricom000!", "wrong"])
async def test_wrong_password_is_2001_without_parameters(
    sim: RunningSim, callback_receiver, password: str
) -> None:
    body = await b2c_body(sim, callback_receiver.url)
    body["SecurityCredential"] = await credential(sim, password)
    async with authed(sim.url) as client:
        await client.post("/mpesa/b2c/v3/paymentrequest", json=body)
    [result] = await callback_receiver.wait_for(1)
    assert result["Result"]["ResultCode"] == 2001
    assert result["Result"]["ResultDesc"] == "The initiator information is invalid."
    assert "ResultParameters" not in result["Result"]
    assert await sim.control.balance("254700000000") == 50_000


async def test_credential_from_another_key_is_2001(sim: RunningSim, callback_receiver) -> None:
    # A well-formed credential for the right password, encrypted with some other RSA key.
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    ciphertext = other.encrypt(b"Safaricom999!*!", padding.PKCS1v15())
    body = await b2c_body(sim, callback_receiver.url)
    body["SecurityCredential"] = base64.b64encode(ciphertext).decode()
    async with authed(sim.url) as client:
        await client.post("/mpesa/b2c/v3/paymentrequest", json=body)
    [result] = await callback_receiver.wait_for(1)
    assert result["Result"]["ResultCode"] == 2001


async def test_newer_sandbox_password_and_mpesakit_timestamp_suffix_work(
    sim: RunningSim, callback_receiver
) -> None:
    async with authed(sim.url) as client:
        for n, password in enumerate(["Safaricom123!!", "Safaricom999!*!20261204193000"]):
            body = await b2c_body(sim, callback_receiver.url, OriginatorConversationID=f"o{n}")
            body["SecurityCredential"] = await credential(sim, password)
            await client.post("/mpesa/b2c/v3/paymentrequest", json=body)
    results = await callback_receiver.wait_for(2)
    assert [r["Result"]["ResultCode"] for r in results] == [0, 0]


async def test_b2b_result_code_is_string_and_reference_item_a_list(
    sim: RunningSim, callback_receiver
) -> None:
    body = {
        "Initiator": "testapi",
        "SecurityCredential": await credential(sim),
        "CommandID": "BusinessPayBill",
        "SenderIdentifierType": "4",
        "RecieverIdentifierType": "4",
        "Amount": 1000,
        "PartyA": "600984",
        "PartyB": "600000",
        "AccountReference": "INV77",
        "Remarks": "Stock",
        **urls(callback_receiver.url),
    }
    async with authed(sim.url) as client:
        response = await client.post("/mpesa/b2b/v1/paymentrequest", json=body)
    assert response.json()["ResponseCode"] == "0"
    [result] = await callback_receiver.wait_for(1)
    res = result["Result"]
    assert res["ResultCode"] == "0"
    assert isinstance(res["ReferenceData"]["ReferenceItem"], list)
    params = {p["Key"]: p.get("Value") for p in res["ResultParameters"]["ResultParameter"]}
    assert params["DebitAccountBalance"].startswith("{Amount={CurrencyCode=KES")
    assert await sim.control.balance("600000") == 1_000_000 + 1000
    assert await sim.control.balance("600984") == 1_000_000 - 1000


async def paid_receipt(sim: RunningSim, receiver, amount: int = 400) -> str:
    async with authed(sim.url) as client:
        await client.post(STK_PATH, json=stk_body("254700000000", receiver.url + "/stk", amount))
    [callback] = await receiver.wait_for(1, path="/stk")
    return str(metadata(callback)["MpesaReceiptNumber"])


async def test_account_balance_answers_from_the_ledger(sim: RunningSim, callback_receiver) -> None:
    await paid_receipt(sim, callback_receiver, 400)
    body = {
        "Initiator": "testapi",
        "SecurityCredential": await credential(sim),
        "CommandID": "AccountBalance",
        "PartyA": 174379,
        "IdentifierType": "4",
        "Remarks": "balance",
        **urls(callback_receiver.url),
    }
    async with authed(sim.url) as client:
        await client.post("/mpesa/accountbalance/v1/query", json=body)
    [result] = await callback_receiver.wait_for(1, path="/result")
    res = result["Result"]
    assert res["ResultCode"] == "0"  # a string for Account Balance
    params = {p["Key"]: p.get("Value") for p in res["ResultParameters"]["ResultParameter"]}
    accounts = {a.split("|")[0]: a.split("|") for a in params["AccountBalance"].split("&")}
    assert accounts["Utility Account"][2] == f"{1_000_000 + 400}.00"
    assert len(accounts["Working Account"]) == 6
    assert isinstance(params["BOCompletedTime"], int)


async def reverse(sim: RunningSim, receiver, receipt: str, amount: int = 400) -> None:
    body = {
        "Initiator": "testapi",
        "SecurityCredential": await credential(sim),
        "CommandID": "TransactionReversal",
        "TransactionID": receipt,
        "Amount": amount,
        "ReceiverParty": "174379",
        "RecieverIdentifierType": "11",
        "Remarks": "wrong till",
        **urls(receiver.url),
    }
    async with authed(sim.url) as client:
        response = await client.post("/mpesa/reversal/v1/request", json=body)
    assert response.status_code == 200, response.text


async def test_reversal_once_then_r000001(sim: RunningSim, callback_receiver) -> None:
    receipt = await paid_receipt(sim, callback_receiver)
    assert await sim.control.balance("254700000000") == 50_000 - 400
    await reverse(sim, callback_receiver, receipt)
    [first] = await callback_receiver.wait_for(1, path="/result")
    assert first["Result"]["ResultCode"] == 0
    params = {
        p["Key"]: p.get("Value") for p in first["Result"]["ResultParameters"]["ResultParameter"]
    }
    assert params["OriginalTransactionID"] == receipt
    assert await sim.control.balance("254700000000") == 50_000
    assert await sim.control.balance("174379") == 1_000_000
    await reverse(sim, callback_receiver, receipt)
    second = (await callback_receiver.wait_for(2, path="/result"))[1]
    assert second["Result"]["ResultCode"] == "R000001"
    assert "ResultParameters" not in second["Result"]
    assert await sim.control.balance("254700000000") == 50_000


async def test_reversal_of_unknown_receipt_is_r000002(sim: RunningSim, callback_receiver) -> None:
    await reverse(sim, callback_receiver, "SGX0000000")
    [result] = await callback_receiver.wait_for(1)
    assert result["Result"]["ResultCode"] == "R000002"


async def test_transaction_status_finds_a_receipt(sim: RunningSim, callback_receiver) -> None:
    receipt = await paid_receipt(sim, callback_receiver)
    body = {
        "Initiator": "testapi",
        "SecurityCredential": await credential(sim),
        "CommandID": "TransactionStatusQuery",
        "TransactionID": receipt,
        "PartyA": "174379",
        "IdentifierType": "4",
        "Remarks": "check",
        "Occasion": "",
        **urls(callback_receiver.url),
    }
    async with authed(sim.url) as client:
        await client.post("/mpesa/transactionstatus/v1/query", json=body)
    [result] = await callback_receiver.wait_for(1, path="/result")
    res = result["Result"]
    assert res["ResultCode"] == 0
    params = res["ResultParameters"]["ResultParameter"]
    assert {"Key": "TransactionReason"} in params  # a parameter without Value (§12)
    by_key = {p["Key"]: p.get("Value") for p in params}
    assert by_key["ReceiptNo"] == receipt
    assert by_key["Amount"] == 400
    assert by_key["TransactionStatus"] == "Completed"


async def test_transaction_status_field_errors_use_its_codes(sim: RunningSim) -> None:
    async with authed(sim.url) as client:
        broken = await client.post(
            "/mpesa/transactionstatus/v1/query",
            content=b"{not json",
            headers={"content-type": "application/json"},
        )
    assert_envelope(broken, "400.002.05", "Invalid Request Payload")


async def test_result_timeout_goes_to_queue_timeout_url(sim: RunningSim, callback_receiver) -> None:
    await sim.control.time_out_results(1)
    async with authed(sim.url) as client:
        response = await client.post(
            "/mpesa/b2c/v3/paymentrequest", json=await b2c_body(sim, callback_receiver.url)
        )
    [notice] = await callback_receiver.wait_for(1, path="/timeout")
    assert notice["Result"]["ResultCode"] == 1
    assert notice["Result"]["ResultDesc"] == "The service request timed out."
    assert notice["Result"]["ConversationID"] == response.json()["ConversationID"]
    assert callback_receiver.bodies("/result") == []


async def test_ledger_conserves_money(sim: RunningSim, callback_receiver) -> None:
    receipt = await paid_receipt(sim, callback_receiver, 400)
    async with authed(sim.url) as client:
        await client.post(
            "/mpesa/b2c/v3/paymentrequest", json=await b2c_body(sim, callback_receiver.url)
        )
    await reverse(sim, callback_receiver, receipt)
    await callback_receiver.wait_for(2, path="/result")
    balances = (await sim.control.ledger())["balances"]
    openings = sum(50_000 if len(p) == 12 else 1_000_000 for p in balances)
    assert sum(balances.values()) == openings


@pytest.mark.parametrize("path", ["/mpesa/reversal/v1/request", "/mpesa/b2b/v1/paymentrequest"])
async def test_correctly_spelt_receiver_identifier_type_is_refused(
    sim: RunningSim, callback_receiver, path: str
) -> None:
    body = {
        "Initiator": "testapi",
        "SecurityCredential": await credential(sim),
        "CommandID": "TransactionReversal" if "reversal" in path else "BusinessPayBill",
        "TransactionID": "SGX0000000",
        "SenderIdentifierType": "4",
        "ReceiverIdentifierType": "4",  # Daraja wants "RecieverIdentifierType" (§12)
        "Amount": 10,
        "ReceiverParty": "174379",
        "PartyA": "600984",
        "PartyB": "600000",
        "AccountReference": "A1",
        "Remarks": "test",
        **urls(callback_receiver.url),
    }
    async with authed(sim.url) as client:
        response = await client.post(path, json=body)
    assert_envelope(response, "400.002.02", "Bad Request - Invalid RecieverIdentifierType")
