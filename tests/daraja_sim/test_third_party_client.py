"""Someone else's published Daraja client (mpesakit 2.2.0 from PyPI) works against the simulator.

mpesakit has no base-URL argument, but its HTTP client keeps the base URL in the public
`base_url` attribute (documented in its docstring); pointing that at the simulator is the only
configuration needed — no code of the library is changed or patched.
"""

from __future__ import annotations

import asyncio

from mpesakit import MpesaClient

from daraja_sim import SANDBOX_PASSKEY
from tests.support.sim_fixtures import RunningSim


def mpesakit_push(sim: RunningSim, callback_url: str) -> tuple[object, object]:
    client = MpesaClient(
        consumer_key=sim.config.consumer_key,
        consumer_secret=sim.config.consumer_secret,
        environment="sandbox",
    )
    client.http_client.base_url = sim.url
    token = client.token_manager.get_token()
    response = client.stk_push(
        business_short_code=174379,
        transaction_type="CustomerPayBillOnline",
        amount=10,
        party_a="254708374149",
        party_b="174379",
        phone_number="254708374149",
        callback_url=callback_url,
        account_reference="Duka",
        transaction_desc="Test",
        passkey=SANDBOX_PASSKEY,
    )
    return token, response


async def test_mpesakit_completes_oauth_and_stk_push(sim: RunningSim, callback_receiver) -> None:
    token, response = await asyncio.to_thread(mpesakit_push, sim, callback_receiver.url + "/cb")
    assert isinstance(token, str) and len(token) == 28
    assert response.is_successful()  # type: ignore[attr-defined]
    checkout_id = response.CheckoutRequestID  # type: ignore[attr-defined]
    [callback] = await callback_receiver.wait_for(1)
    assert callback["Body"]["stkCallback"]["CheckoutRequestID"] == checkout_id
    assert callback["Body"]["stkCallback"]["ResultCode"] == 0
