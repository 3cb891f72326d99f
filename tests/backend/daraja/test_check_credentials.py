"""`DarajaClient.check_credentials()` against the simulator: the public health probe."""

from __future__ import annotations

import pytest

from backend.daraja import AuthError, InvalidRequest
from tests.backend.daraja.simulated import client_for, credentials
from tests.support.sim_fixtures import RunningSim


async def test_accepted_credentials_fetch_one_token_and_reuse_it(sim: RunningSim) -> None:
    async with client_for(sim) as client:
        await client.check_credentials()
        await client.check_credentials()
        assert client.oauth_requests == 1
        with pytest.raises(InvalidRequest):  # got past auth with the checked token
            await client.stk_query("ws_CO_reuses_the_checked_token")
        assert client.oauth_requests == 1


async def test_rejected_credentials_raise_auth_error(sim: RunningSim) -> None:
    async with client_for(sim, credentials(consumer_secret="not-the-secret")) as client:
        with pytest.raises(AuthError) as caught:
            await client.check_credentials()
        assert "not-the-secret" not in str(caught.value)
        assert client.oauth_requests == 1
