"""Hand-built Daraja requests for the simulator's tests (the wire, spelled as Safaricom does)."""

from __future__ import annotations

import base64
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx

from daraja_sim import SANDBOX_PASSKEY, SimConfig

TIMESTAMP = "20261204193000"
STK_PATH = "/mpesa/stkpush/v1/processrequest"
QUERY_PATH = "/mpesa/stkpushquery/v1/query"


def password(shortcode: str, timestamp: str = TIMESTAMP, passkey: str = SANDBOX_PASSKEY) -> str:
    """Return Daraja's STK Password for `shortcode` at `timestamp`."""
    return base64.b64encode(f"{shortcode}{passkey}{timestamp}".encode()).decode()


async def token(client: httpx.AsyncClient, config: SimConfig | None = None) -> str:
    """Fetch an access token with the simulator's default (or `config`'s) credentials."""
    config = config or SimConfig()
    response = await client.get(
        "/oauth/v1/generate",
        params={"grant_type": "client_credentials"},
        auth=(config.consumer_key, config.consumer_secret),
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


@contextlib.asynccontextmanager
async def authed(base_url: str, read_timeout: float = 10.0) -> AsyncIterator[httpx.AsyncClient]:
    """Yield a client for `base_url` that already carries a bearer token."""
    async with httpx.AsyncClient(
        base_url=base_url, timeout=read_timeout, trust_env=False
    ) as client:
        client.headers["Authorization"] = f"Bearer {await token(client)}"
        yield client


def stk_body(phone: str, callback_url: str, amount: Any = 250, **overrides: Any) -> dict[str, Any]:
    """Return a valid paybill STK Push body for sandbox shortcode 174379."""
    body: dict[str, Any] = {
        "BusinessShortCode": 174379,
        "Password": password("174379"),
        "Timestamp": TIMESTAMP,
        "TransactionType": "CustomerPayBillOnline",
        "Amount": amount,
        "PartyA": int(phone),
        "PartyB": 174379,
        "PhoneNumber": int(phone),
        "CallBackURL": callback_url,
        "AccountReference": "INV0001",
        "TransactionDesc": "Order 1",
    }
    body.update(overrides)
    return body


def till_body(phone: str, callback_url: str, amount: int = 250, **overrides: Any) -> dict[str, Any]:
    """Return a valid Buy Goods STK Push body for store 300300 / till 300301."""
    body = stk_body(
        phone,
        callback_url,
        amount,
        BusinessShortCode="300300",
        Password=password("300300"),
        TransactionType="CustomerBuyGoodsOnline",
        PartyB="300301",
    )
    body.update(overrides)
    return body


def query_body(checkout_request_id: str, shortcode: str = "174379") -> dict[str, Any]:
    """Return an STK Push Query body."""
    return {
        "BusinessShortCode": shortcode,
        "Password": password(shortcode),
        "Timestamp": TIMESTAMP,
        "CheckoutRequestID": checkout_request_id,
    }


def metadata(callback: dict[str, Any]) -> dict[str, Any]:
    """Return an STK callback's CallbackMetadata items by Name (§4: never index by position)."""
    items = callback["Body"]["stkCallback"]["CallbackMetadata"]["Item"]
    return {item["Name"]: item.get("Value") for item in items}


def assert_envelope(response: httpx.Response, code: str, message: str | None = None) -> None:
    """Assert `response` is Daraja's error envelope with `code` (and `message`)."""
    body = response.json()
    assert set(body) == {"requestId", "errorCode", "errorMessage"}, body
    assert body["errorCode"] == code, body
    assert response.status_code == int(code.split(".", maxsplit=1)[0]), response.status_code
    if message is not None:
        assert body["errorMessage"] == message, body
