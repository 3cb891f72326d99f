"""Request keys keep Safaricom's spellings (§12); "corrected" keys count as missing."""

from __future__ import annotations

from daraja_sim import encrypt_credential
from tests.daraja_sim.daraja import STK_PATH, assert_envelope, authed, stk_body
from tests.support.sim_fixtures import RunningSim


async def test_stk_wants_callback_url_spelt_call_back(sim: RunningSim, callback_receiver) -> None:
    body = stk_body("254700000000", callback_receiver.url)
    body["CallbackURL"] = body.pop("CallBackURL")
    async with authed(sim.url) as client:
        response = await client.post(STK_PATH, json=body)
    assert_envelope(response, "400.002.02", "Bad Request - Invalid CallBackURL")


async def test_c2b_simulate_wants_mixed_case_msisdn(sim: RunningSim) -> None:
    body = {
        "ShortCode": 600984,
        "CommandID": "CustomerPayBillOnline",
        "Amount": 1,
        "MSISDN": 254708374149,
        "BillRefNumber": "x",
    }
    async with authed(sim.url) as client:
        response = await client.post("/mpesa/c2b/v2/simulate", json=body)
    assert_envelope(response, "400.003.02", "Bad Request - Invalid Msisdn")


async def test_requests_want_queue_time_out_url_with_capital_o(
    sim: RunningSim, callback_receiver
) -> None:
    body = {
        "Initiator": "testapi",
        "SecurityCredential": encrypt_credential("Safaricom999!*!", await sim.control.cert_pem()),
        "CommandID": "AccountBalance",
        "PartyA": 600984,
        "IdentifierType": "4",
        "Remarks": "balance",
        "QueueTimeoutURL": f"{callback_receiver.url}/timeout",  # the Result's spelling, not ours
        "ResultURL": f"{callback_receiver.url}/result",
    }
    async with authed(sim.url) as client:
        response = await client.post("/mpesa/accountbalance/v1/query", json=body)
    assert_envelope(response, "400.002.02", "Bad Request - Invalid QueueTimeOutURL")


async def test_b2c_v3_accepts_occassion_and_occasion(sim: RunningSim, callback_receiver) -> None:
    credential = encrypt_credential("Safaricom999!*!", await sim.control.cert_pem())
    async with authed(sim.url) as client:
        for n, key in enumerate(("Occassion", "Occasion")):
            body = {
                "OriginatorConversationID": f"spelling-{n}",
                "InitiatorName": "testapi",
                "SecurityCredential": credential,
                "CommandID": "BusinessPayment",
                "Amount": 100,
                "PartyA": 600984,
                "PartyB": 254700000000,
                "Remarks": "spelling",
                key: "payout",
                "QueueTimeOutURL": f"{callback_receiver.url}/timeout",
                "ResultURL": f"{callback_receiver.url}/result",
            }
            response = await client.post("/mpesa/b2c/v3/paymentrequest", json=body)
            assert response.json()["ResponseCode"] == "0"
    results = await callback_receiver.wait_for(2, path="/result")
    assert [r["Result"]["ResultCode"] for r in results] == [0, 0]
