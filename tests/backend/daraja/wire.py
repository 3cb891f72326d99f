"""A scripted Daraja at the wire (httpx.MockTransport) for behaviour the simulator cannot stage
precisely: exact token rejections, dropped answers, counted requests. Not our code under test."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from backend.daraja import DarajaClient, DarajaCredentials

PASSKEY = "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919"
Handler = Callable[[httpx.Request], httpx.Response]


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.instant = start or datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.instant

    def advance(self, seconds: float) -> None:
        self.instant += timedelta(seconds=seconds)


def envelope(status: int, code: str, message: str) -> httpx.Response:
    body = {"requestId": "req-1", "errorCode": code, "errorMessage": message}
    return httpx.Response(status, json=body)


STK_ACK = {
    "MerchantRequestID": "2654-4b64-97ff-b827b542881d3130",
    "CheckoutRequestID": "ws_CO_1007202409152617172396192",
    "ResponseCode": "0",
    "ResponseDescription": "Success. Request accepted for processing",
    "CustomerMessage": "Success. Request accepted for processing",
}


STK_QUERY_PAID = {
    "ResponseCode": "0",
    "ResultCode": "0",
    "ResultDesc": "The service request is processed successfully.",
    "MerchantRequestID": "m",
    "CheckoutRequestID": "ws_CO_1",
}
INITIATOR_ACK = {
    "ConversationID": "AG_20240706_20106e9209f64bebd05b",
    "OriginatorConversationID": "600997_Test_32et3241ed8yu",
    "ResponseCode": "0",
    "ResponseDescription": "Accept the service request successfully.",
}
Answer = Handler | httpx.Response | Exception


@dataclass
class ScriptedDaraja:
    """Counts OAuth and API requests; scripted answers (popped in order) override the defaults."""

    answers: list[Answer] = field(default_factory=list)
    oauth_answers: list[Answer] = field(default_factory=list)
    oauth_calls: int = 0
    api_requests: list[httpx.Request] = field(default_factory=list)
    tokens_issued: int = 0
    oauth_delay: float = 0.0

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/v1/generate":
            self.oauth_calls += 1
            if self.oauth_delay:
                await asyncio.sleep(self.oauth_delay)
            if self.oauth_answers:
                return _play(self.oauth_answers.pop(0), request)
            self.tokens_issued += 1
            token = {"access_token": f"token-{self.tokens_issued}", "expires_in": "3599"}
            return httpx.Response(200, json=token)
        self.api_requests.append(request)
        if self.answers:
            return _play(self.answers.pop(0), request)
        if request.url.path.endswith("stkpushquery/v1/query"):
            return httpx.Response(200, json=STK_QUERY_PAID)
        if request.url.path.endswith("stkpush/v1/processrequest"):
            return httpx.Response(200, json=STK_ACK)
        return httpx.Response(200, json=INITIATOR_ACK)

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(r.content) for r in self.api_requests]


def _play(answer: Answer, request: httpx.Request) -> httpx.Response:
    if isinstance(answer, Exception):
        raise answer
    if isinstance(answer, httpx.Response):
        return answer
    return answer(request)


def paybill_credentials(**overrides: Any) -> DarajaCredentials:
    fields: dict[str, Any] = {
        "consumer_key": "duka-sim-key",
        "consumer_secret": "duka-sim-secret",
        "shortcode": "174379",
        "passkey": PASSKEY,
    }
    fields.update(overrides)
    return DarajaCredentials(**fields)


def scripted_client(
    daraja: ScriptedDaraja, clock: FakeClock | None = None, **overrides: Any
) -> DarajaClient:
    return DarajaClient(
        overrides.pop("credentials", paybill_credentials()),
        base_url="https://daraja.test",
        transport=httpx.MockTransport(daraja),
        clock=clock or FakeClock(),
        retry_backoff=0.001,
        **overrides,
    )
