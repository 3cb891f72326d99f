"""Token sharing, refresh, retries and error mapping, against a scripted Daraja at the wire."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from typing import Any

import httpx
import pytest

from backend.daraja import (
    AuthError,
    ConnectFailed,
    DarajaClient,
    DarajaError,
    DarajaUnavailable,
    DuplicateRequest,
    InvalidRequest,
    OutcomeUnknown,
    RateLimited,
    RejectedByMpesa,
    parse_stk_callback,
)
from tests.backend.daraja.wire import (
    PASSKEY,
    STK_ACK,
    STK_QUERY_PAID,
    FakeClock,
    ScriptedDaraja,
    envelope,
    paybill_credentials,
    scripted_client,
)

PUSH: dict[str, Any] = {
    "amount": 250,
    "phone": "0712 345 678",
    "callback_url": "https://duka.example/stk",
    "account_reference": "Duka",
    "description": "Sale",
}


async def test_thousand_concurrent_calls_on_a_cold_client_make_one_oauth_request() -> None:
    daraja = ScriptedDaraja(oauth_delay=0.05)
    async with scripted_client(daraja) as client:
        results = await asyncio.gather(*(client.stk_query(f"ws_CO_{i}") for i in range(1000)))
    assert len(results) == 1000
    assert daraja.oauth_calls == 1
    assert client.oauth_requests == 1


async def test_token_is_reused_until_shortly_before_expiry() -> None:
    daraja = ScriptedDaraja()
    clock = FakeClock()
    async with scripted_client(daraja, clock) as client:
        await client.stk_push(**PUSH)
        clock.advance(3500)  # 3599 s lifetime, refreshed 60 s early: still fresh
        await client.stk_push(**PUSH)
        assert daraja.oauth_calls == 1
        clock.advance(60)
        await client.stk_push(**PUSH)
    assert daraja.oauth_calls == 2
    tokens = [r.headers["Authorization"] for r in daraja.api_requests]
    assert tokens == ["Bearer token-1", "Bearer token-1", "Bearer token-2"]


async def test_numeric_expires_in_is_accepted() -> None:
    daraja = ScriptedDaraja(
        oauth_answers=[httpx.Response(200, json={"access_token": "t", "expires_in": 3599})]
    )
    async with scripted_client(daraja) as client:
        await client.stk_push(**PUSH)
    assert daraja.api_requests[0].headers["Authorization"] == "Bearer t"


async def test_rejected_token_triggers_one_refresh_and_one_retry() -> None:
    daraja = ScriptedDaraja(answers=[envelope(404, "404.001.03", "Invalid Access Token")])
    async with scripted_client(daraja) as client:
        ack = await client.stk_push(**PUSH)
    assert ack.checkout_request_id.startswith("ws_CO_")
    assert daraja.oauth_calls == 2
    assert len(daraja.api_requests) == 2


async def test_token_rejected_twice_is_an_auth_error_without_more_requests() -> None:
    rejected = envelope(404, "404.001.03", "Invalid Access Token")
    daraja = ScriptedDaraja(answers=[rejected, rejected])
    async with scripted_client(daraja) as client:
        with pytest.raises(AuthError) as info:
            await client.stk_push(**PUSH)
    assert info.value.code == "404.001.03"
    assert daraja.oauth_calls == 2 and len(daraja.api_requests) == 2


async def test_bad_consumer_secret_is_an_auth_error_at_once() -> None:
    daraja = ScriptedDaraja(oauth_answers=[httpx.Response(400, content=b"")])
    async with scripted_client(daraja) as client:
        with pytest.raises(AuthError) as info:
            await client.stk_push(**PUSH)
    assert daraja.oauth_calls == 1 and not daraja.api_requests
    assert "setup" in info.value.user_message or "owner" in info.value.user_message


async def test_oauth_outage_is_retried() -> None:
    daraja = ScriptedDaraja(oauth_answers=[httpx.Response(503), httpx.ConnectError("down")])
    async with scripted_client(daraja) as client:
        await client.stk_push(**PUSH)
    assert daraja.oauth_calls == 3


async def test_push_is_never_resent_after_spike_arrest() -> None:
    daraja = ScriptedDaraja(answers=[envelope(500, "500.003.02", "Spike Arrest Violation")])
    async with scripted_client(daraja) as client:
        with pytest.raises(RateLimited) as info:
            await client.stk_push(**PUSH)
    assert len(daraja.api_requests) == 1
    assert info.value.user_message == "M-PESA is busy, try again in a few seconds."
    assert info.value.request_id == "req-1"


async def test_push_is_never_resent_after_a_read_timeout() -> None:
    daraja = ScriptedDaraja(answers=[httpx.ReadTimeout("slow")])
    async with scripted_client(daraja) as client:
        with pytest.raises(OutcomeUnknown):
            await client.stk_push(**PUSH)
    assert len(daraja.api_requests) == 1


@pytest.mark.parametrize(
    "failure",
    [httpx.RemoteProtocolError("dropped"), httpx.WriteTimeout("slow"), httpx.DecodingError("gz")],
)
async def test_any_failure_after_sending_is_outcome_unknown(failure: Exception) -> None:
    daraja = ScriptedDaraja(answers=[failure])
    async with scripted_client(daraja) as client:
        with pytest.raises(OutcomeUnknown):
            await client.stk_push(**PUSH)
    assert len(daraja.api_requests) == 1


async def test_push_is_retried_when_nothing_was_sent() -> None:
    daraja = ScriptedDaraja(answers=[httpx.ConnectError("refused")])
    async with scripted_client(daraja) as client:
        await client.stk_push(**PUSH)
    assert len(daraja.api_requests) == 2


async def test_push_gives_up_with_connect_failed() -> None:
    daraja = ScriptedDaraja(answers=[httpx.ConnectError("refused")] * 3)
    async with scripted_client(daraja) as client:
        with pytest.raises(ConnectFailed):
            await client.stk_push(**PUSH)
    assert len(daraja.api_requests) == 3


async def test_query_is_retried_through_spike_arrest_and_5xx() -> None:
    daraja = ScriptedDaraja(
        answers=[
            envelope(500, "500.003.02", "Spike Arrest Violation"),
            envelope(500, "500.003.1001", "Internal Server Error"),
        ]
    )
    async with scripted_client(daraja) as client:
        result = await client.stk_query("ws_CO_1")
    assert result.paid and len(daraja.api_requests) == 3


async def test_query_still_processing_is_pending() -> None:
    daraja = ScriptedDaraja(
        answers=[envelope(500, "500.001.1001", "The transaction is being processed")]
    )
    async with scripted_client(daraja) as client:
        result = await client.stk_query("ws_CO_1")
    assert result.pending and result.result_code is None and not result.paid


@pytest.mark.parametrize(
    ("response", "error"),
    [
        (envelope(400, "400.002.02", "Bad Request - Invalid PhoneNumber"), InvalidRequest),
        (envelope(500, "500.001.1001", "Merchant does not exist"), RejectedByMpesa),
        (envelope(500, "500.001.1001", "Wrong credentials"), RejectedByMpesa),
        (envelope(500, "500.003.03", "Quota Violation"), RateLimited),
        (envelope(500, "500.003.1001", "Internal Server Error"), DarajaUnavailable),
        (envelope(500, "500.002.1001", "Duplicate OriginatorConversationID."), DuplicateRequest),
        (envelope(400, "400.008.01", "Invalid authentication type passed"), AuthError),
        (httpx.Response(502, text="<html>bad gateway</html>"), DarajaUnavailable),
        (httpx.Response(504, text="gateway timeout"), OutcomeUnknown),
        (httpx.Response(200, text="not json"), OutcomeUnknown),
        (httpx.Response(429), RateLimited),
    ],
)
async def test_answers_map_to_errors_by_how_to_react(
    response: httpx.Response, error: type[DarajaError]
) -> None:
    daraja = ScriptedDaraja(answers=[response])
    async with scripted_client(daraja) as client:
        with pytest.raises(error) as info:
            await client.stk_push(**PUSH)
    assert type(info.value) is error
    assert info.value.user_message


async def test_locked_subscriber_tells_the_cashier_to_wait() -> None:
    message = (
        "Unable to lock subscriber, a transaction is already in process for the current subscriber"
    )
    daraja = ScriptedDaraja(answers=[envelope(500, "500.001.1001", message)])
    async with scripted_client(daraja) as client:
        with pytest.raises(RejectedByMpesa) as info:
            await client.stk_push(**PUSH)
    assert "Wait a minute" in info.value.user_message


async def test_invalid_input_never_reaches_the_wire() -> None:
    daraja = ScriptedDaraja()
    async with scripted_client(daraja) as client:
        for bad in ({"amount": 2.5}, {"phone": "0812 345 678"}, {"account_reference": "x" * 13}):
            with pytest.raises(InvalidRequest):
                await client.stk_push(**{**PUSH, **bad})
    assert daraja.oauth_calls == 0 and not daraja.api_requests


async def test_requests_keep_the_base_url_path_and_send_compact_json() -> None:
    # The client joins each path to the base URL once and encodes JSON itself (both for speed);
    # the wire must look exactly as if httpx had done both on every request.
    seen: list[httpx.Request] = []

    def gateway(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/oauth/v1/generate"):
            return httpx.Response(200, json={"access_token": "t", "expires_in": "3599"})
        return httpx.Response(200, json=STK_QUERY_PAID if "query" in request.url.path else STK_ACK)

    client = DarajaClient(
        paybill_credentials(),
        base_url="https://daraja.test/gateway/",
        transport=httpx.MockTransport(gateway),
        clock=FakeClock(),
    )
    async with client:
        await client.stk_push(**PUSH)
        await client.stk_push(**{**PUSH, "amount": 1})
        assert (await client.stk_query("ws_CO_1")).paid
    assert [str(r.url) for r in seen] == [
        "https://daraja.test/gateway/oauth/v1/generate?grant_type=client_credentials",
        "https://daraja.test/gateway/mpesa/stkpush/v1/processrequest",
        "https://daraja.test/gateway/mpesa/stkpush/v1/processrequest",
        "https://daraja.test/gateway/mpesa/stkpushquery/v1/query",
    ]
    for request in seen[1:]:
        assert request.headers["Content-Type"] == "application/json"
        assert request.headers["Authorization"] == "Bearer t"
        assert request.headers["Content-Length"] == str(len(request.content))
        body = json.loads(request.content)
        compact = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        assert request.content == compact.encode()


async def test_paybill_body() -> None:
    daraja = ScriptedDaraja()
    clock = FakeClock()
    async with scripted_client(daraja, clock) as client:
        await client.stk_push(**PUSH)
    body = daraja.bodies()[0]
    assert body["TransactionType"] == "CustomerPayBillOnline"
    assert body["BusinessShortCode"] == body["PartyB"] == "174379"
    assert body["PartyA"] == body["PhoneNumber"] == "254712345678"
    assert body["Amount"] == 250
    assert body["Timestamp"] == "20260301120000"  # 09:00 UTC is noon in Nairobi
    assert base64.b64decode(body["Password"]).decode() == f"174379{PASSKEY}20260301120000"


async def test_till_body_keeps_the_store_number_in_the_password() -> None:
    daraja = ScriptedDaraja()
    creds = paybill_credentials(shortcode="300300", till_number="300301")
    async with scripted_client(daraja, credentials=creds) as client:
        await client.stk_push(**PUSH)
    body = daraja.bodies()[0]
    assert body["TransactionType"] == "CustomerBuyGoodsOnline"
    assert body["BusinessShortCode"] == "300300"
    assert body["PartyB"] == "300301"
    assert base64.b64decode(body["Password"]).decode().startswith("300300")


async def test_secrets_never_in_errors_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    daraja = ScriptedDaraja(answers=[envelope(404, "404.001.03", "Invalid Access Token")] * 2)
    async with scripted_client(daraja) as client:
        with pytest.raises(AuthError) as info:
            await client.stk_push(**PUSH)
    seen = " ".join([str(info.value), repr(info.value), str(info.value.raw), caplog.text])
    for secret in ("token-1", "token-2", "duka-sim-secret", PASSKEY):
        assert secret not in seen


async def test_thousand_callers_share_one_failed_refresh() -> None:
    daraja = ScriptedDaraja(oauth_answers=[httpx.Response(400, content=b"")], oauth_delay=0.05)
    async with scripted_client(daraja) as client:
        outcomes = await asyncio.gather(
            *(client.stk_query(f"ws_CO_{i}") for i in range(1000)), return_exceptions=True
        )
        assert all(isinstance(o, AuthError) for o in outcomes)
        assert daraja.oauth_calls == 1
        # The failure is not cached: the next call tries again (and now succeeds).
        await client.stk_query("ws_CO_again")
    assert daraja.oauth_calls == 2


async def test_a_cancelled_caller_does_not_cancel_the_shared_refresh() -> None:
    daraja = ScriptedDaraja(oauth_delay=0.1)
    async with scripted_client(daraja) as client:
        first = asyncio.ensure_future(client.stk_query("ws_CO_1"))
        second = asyncio.ensure_future(client.stk_query("ws_CO_2"))
        await asyncio.sleep(0.02)
        first.cancel()
        result = await second
    assert result.paid and daraja.oauth_calls == 1
    assert first.cancelled()


async def test_production_uses_the_production_url_and_certificate() -> None:
    daraja = ScriptedDaraja()
    creds = paybill_credentials(initiator_name="apiop", initiator_password="secret-pass")
    client = DarajaClient(
        creds,
        environment="production",
        transport=httpx.MockTransport(daraja),
        clock=FakeClock(),
    )
    async with client:
        with pytest.raises(InvalidRequest):
            await client.stk_push(**{**PUSH, "callback_url": "http://duka.example/stk"})
        await client.stk_push(**PUSH)
        await client.account_balance(
            result_url="https://duka.example/r",
            timeout_url="https://duka.example/t",
            remarks="Daily",
        )
    assert {r.url.host for r in daraja.api_requests} == {"api.safaricom.co.ke"}
    balance_body = daraja.bodies()[1]
    assert len(balance_body["SecurityCredential"]) == 344
    assert "secret-pass" not in json.dumps(balance_body)


async def test_initiator_apis_need_an_initiator() -> None:
    daraja = ScriptedDaraja()
    async with scripted_client(daraja) as client:
        with pytest.raises(InvalidRequest) as info:
            await client.account_balance(
                result_url="https://d.example/r", timeout_url="https://d.example/t", remarks="Daily"
            )
    assert info.value.field == "initiator_name"
    assert not daraja.api_requests


def test_non_numeric_stk_result_code_is_kept_as_unpaid() -> None:
    body = {
        "Body": {
            "stkCallback": {
                "MerchantRequestID": "m-1",
                "CheckoutRequestID": "ws_CO_1",
                "ResultCode": "SFC_IC0003",
                "ResultDesc": "The operator does not exist.",
            }
        }
    }
    callback = parse_stk_callback(body)
    assert not callback.paid and callback.result_code == -1
    assert callback.result_desc == "The operator does not exist."
