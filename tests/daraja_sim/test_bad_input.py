"""Malformed requests always get Daraja's envelope and code, never a traceback, bare 500 or hang."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from daraja_sim import SimConfig, SimController, create_app
from tests.daraja_sim.daraja import authed
from tests.support.servers import serve
from tests.support.sim_fixtures import RunningSim

API_PATHS = [
    "/mpesa/stkpush/v1/processrequest",
    "/mpesa/stkpushquery/v1/query",
    "/mpesa/c2b/v1/registerurl",
    "/mpesa/c2b/v2/registerurl",
    "/mpesa/c2b/v1/simulate",
    "/mpesa/c2b/v2/simulate",
    "/mpesa/b2c/v1/paymentrequest",
    "/mpesa/b2c/v3/paymentrequest",
    "/mpesa/b2b/v1/paymentrequest",
    "/mpesa/transactionstatus/v1/query",
    "/mpesa/accountbalance/v1/query",
    "/mpesa/reversal/v1/request",
    "/mpesa/qrcode/v1/generate",
]


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningSim]:
    """One simulator for the whole module: these requests change no state worth isolating."""
    config = SimConfig(seed=1, callback_delay_seconds=0.0)
    app = create_app(config)
    with serve(app) as server:
        yield RunningSim(server.url, config, SimController(server.url), app)


CODE = re.compile(r"\d{3}\.\d{3}(\.\d+)?")
JSON = {"content-type": "application/json"}


def assert_daraja_error(response: httpx.Response) -> None:
    body = response.json()
    assert set(body) == {"requestId", "errorCode", "errorMessage"}, body
    assert CODE.fullmatch(body["errorCode"]), body
    assert response.status_code == int(body["errorCode"].split(".")[0])
    assert body["errorCode"] != "500.003.1001", body  # never "our bug"


@pytest.mark.parametrize("path", API_PATHS)
@pytest.mark.parametrize(
    ("content", "headers"),
    [
        (b"{not json", JSON),
        (b"[1, 2, 3]", JSON),
        (b"", JSON),
        (b"null", JSON),
        (b'"text"', JSON),
        (b"\xff\xfe\x00", JSON),
        (b'{"Amount": 1}', {"content-type": "text/plain"}),
        (b'{"Amount": 1}', {}),
        (b"{}", JSON),
    ],
)
async def test_malformed_bodies(
    sim: RunningSim, path: str, content: bytes, headers: dict[str, str]
) -> None:
    async with authed(sim.url) as client:
        response = await client.post(path, content=content, headers=headers)
    assert response.status_code == 400
    assert_daraja_error(response)


@pytest.mark.parametrize("path", API_PATHS)
async def test_huge_body_is_refused_without_reading_it_all(sim: RunningSim, path: str) -> None:
    body = json.dumps({"Remarks": "x" * 200_000}).encode()
    async with authed(sim.url) as client:
        response = await client.post(path, content=body, headers=JSON)
    assert_daraja_error(response)
    assert response.json()["errorCode"] == "400.002.05"


@pytest.mark.parametrize("path", API_PATHS)
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
async def test_wrong_method(sim: RunningSim, path: str, method: str) -> None:
    async with authed(sim.url) as client:
        response = await client.request(method, path)
    assert_daraja_error(response)
    assert response.json()["errorCode"] == "405.001"


async def test_oauth_wrong_method_and_unknown_paths(sim: RunningSim) -> None:
    async with httpx.AsyncClient(base_url=sim.url) as client:
        post = await client.post("/oauth/v1/generate?grant_type=client_credentials")
        unknown = await client.post("/mpesa/stkpush/v9/processrequest")
        root = await client.get("/")
    assert post.json()["errorCode"] == "405.001"
    for response in (unknown, root):
        assert_daraja_error(response)
        assert response.json()["errorCode"] == "404.001.01"


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
FIELDS = [
    "BusinessShortCode", "Password", "Timestamp", "TransactionType", "Amount", "PartyA", "PartyB",
    "PhoneNumber", "CallBackURL", "AccountReference", "TransactionDesc", "CheckoutRequestID",
    "ShortCode", "ResponseType", "ConfirmationURL", "ValidationURL", "CommandID", "Msisdn",
    "InitiatorName", "Initiator", "SecurityCredential", "QueueTimeOutURL", "ResultURL", "Remarks",
    "TransactionID", "ReceiverParty", "MerchantName", "RefNo", "TrxCode", "CPI", "Size",
    "OriginatorConversationID", "IdentifierType",
]  # fmt: skip


@pytest.fixture(scope="module")
def authed_sync_client(sim: RunningSim) -> Iterator[httpx.Client]:
    """A synchronous client with a token, for the Hypothesis test below."""
    with httpx.Client(base_url=sim.url, timeout=10, trust_env=False) as client:
        token = client.get(
            "/oauth/v1/generate?grant_type=client_credentials",
            auth=(sim.config.consumer_key, sim.config.consumer_secret),
        ).json()["access_token"]
        client.headers["Authorization"] = f"Bearer {token}"
        yield client


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    path=st.sampled_from(API_PATHS),
    body=st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=12),
)
def test_fuzzed_bodies_never_break_the_simulator(
    authed_sync_client: httpx.Client, path: str, body: dict[str, Any]
) -> None:
    response = authed_sync_client.post(path, json=body)
    if response.status_code != 200:
        assert_daraja_error(response)
