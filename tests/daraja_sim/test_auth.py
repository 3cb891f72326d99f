"""OAuth and bearer-token checks (REFERENCE.md §2, §1.2, §12 first bullet)."""

from __future__ import annotations

import httpx
import pytest

from tests.daraja_sim.daraja import STK_PATH, assert_envelope, authed, stk_body, token
from tests.support.sim_fixtures import RunningSim


async def test_token_body_has_exactly_two_keys_and_string_expiry(sim: RunningSim) -> None:
    async with httpx.AsyncClient(base_url=sim.url) as client:
        response = await client.get(
            "/oauth/v1/generate?grant_type=client_credentials",
            auth=("duka-sim-key", "duka-sim-secret"),
        )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "expires_in"}
    assert body["expires_in"] == "3599"
    assert isinstance(body["access_token"], str) and len(body["access_token"]) == 28


async def test_expires_in_can_be_a_number(start_sim) -> None:
    running = start_sim(expires_in_as_string=False, token_ttl_seconds=120)
    async with httpx.AsyncClient(base_url=running.url) as client:
        response = await client.get(
            "/oauth/v1/generate?grant_type=client_credentials",
            auth=("duka-sim-key", "duka-sim-secret"),
        )
    assert response.json()["expires_in"] == 120


async def test_wrong_credentials_get_400_with_empty_body(sim: RunningSim) -> None:
    async with httpx.AsyncClient(base_url=sim.url) as client:
        response = await client.get(
            "/oauth/v1/generate?grant_type=client_credentials", auth=("duka-sim-key", "wrong")
        )
    assert response.status_code == 400
    assert response.content == b""


async def test_cli_credentials_are_the_ones_accepted(start_sim) -> None:
    running = start_sim(consumer_key="k", consumer_secret="s")
    async with httpx.AsyncClient(base_url=running.url) as client:
        ok = await client.get("/oauth/v1/generate?grant_type=client_credentials", auth=("k", "s"))
        default = await client.get(
            "/oauth/v1/generate?grant_type=client_credentials",
            auth=("duka-sim-key", "duka-sim-secret"),
        )
    assert ok.status_code == 200
    assert default.status_code == 400


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer abc"}, {"Authorization": "Basic"}],
)
async def test_non_basic_auth_is_400_008_01(sim: RunningSim, headers: dict[str, str]) -> None:
    async with httpx.AsyncClient(base_url=sim.url) as client:
        response = await client.get(
            "/oauth/v1/generate?grant_type=client_credentials", headers=headers
        )
    assert_envelope(response, "400.008.01", "Invalid authentication type passed")


@pytest.mark.parametrize("query", ["grant_type=password", "grant_type=client_credentials%20", ""])
async def test_bad_grant_type_is_400_008_02(sim: RunningSim, query: str) -> None:
    async with httpx.AsyncClient(base_url=sim.url) as client:
        response = await client.get(
            f"/oauth/v1/generate?{query}", auth=("duka-sim-key", "duka-sim-secret")
        )
    assert_envelope(response, "400.008.02", "Invalid grant type passed")


async def test_missing_bearer_is_invalid_authentication_header(
    sim: RunningSim, callback_receiver
) -> None:
    async with httpx.AsyncClient(base_url=sim.url) as client:
        response = await client.post(STK_PATH, json=stk_body("254700000000", callback_receiver.url))
    assert_envelope(response, "404.001.04", "Invalid Authentication Header")


async def test_unknown_token_is_rejected(sim: RunningSim, callback_receiver) -> None:
    async with httpx.AsyncClient(base_url=sim.url) as client:
        response = await client.post(
            STK_PATH,
            json=stk_body("254700000000", callback_receiver.url),
            headers={"Authorization": "Bearer notatoken"},
        )
    assert_envelope(response, "404.001.03", "Invalid Access Token")


async def test_expire_tokens_now_rejects_live_tokens(sim: RunningSim, callback_receiver) -> None:
    async with authed(sim.url) as client:
        before = await client.post(STK_PATH, json=stk_body("254700000000", callback_receiver.url))
        assert before.status_code == 200
        assert await sim.control.expire_tokens() >= 1
        after = await client.post(STK_PATH, json=stk_body("254700000000", callback_receiver.url))
        assert_envelope(after, "404.001.03")
        client.headers["Authorization"] = f"Bearer {await token(client)}"
        again = await client.post(STK_PATH, json=stk_body("254700000000", callback_receiver.url))
    assert again.status_code == 200


async def test_tokens_expire_after_their_ttl(start_sim, callback_receiver) -> None:
    running = start_sim(token_ttl_seconds=0)
    async with authed(running.url) as client:
        response = await client.post(STK_PATH, json=stk_body("254700000000", callback_receiver.url))
    assert_envelope(response, "404.001.03")


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/mpesa/c2b/v2/registerurl", "400.003.01"),
        ("/mpesa/transactionstatus/v1/query", "400.003.01"),
        ("/mpesa/accountbalance/v1/query", "401.002.01"),
        ("/mpesa/reversal/v1/request", "404.001.03"),
        ("/mpesa/b2c/v3/paymentrequest", "404.001.03"),
    ],
)
async def test_each_family_words_a_bad_token_its_own_way(
    sim: RunningSim, path: str, code: str
) -> None:
    async with httpx.AsyncClient(base_url=sim.url) as client:
        response = await client.post(path, json={}, headers={"Authorization": "Bearer nope"})
    assert_envelope(response, code)
