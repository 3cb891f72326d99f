"""Secrets never leak (logs, errors, OpenAPI, events); callback IP allow-list and proxies."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from tests.backend.helpers import pay, read_events, wait_status
from tests.backend.test_callbacks import c2b_body
from tests.support.backend_fixtures import CALLBACK_SECRET, CANCELS, PAYS, RunningBackend


async def test_no_secret_in_logs_errors_openapi_or_events(
    backend: RunningBackend, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    settings = backend.settings
    secrets = [
        settings.daraja_consumer_secret.get_secret_value(),
        settings.daraja_passkey.get_secret_value(),
        CALLBACK_SECRET,
    ]
    _, token = await backend.cashier()
    http = backend.client(token)
    seen: list[str] = []
    for phone in (PAYS, CANCELS):
        created = await pay(http, 10, phone)
        seen.append(created.text)
        seen.append(str(await wait_status(http, created.json()["id"], "paid", "failed")))
    seen.append((await pay(http, -1, PAYS)).text)
    seen.append((await http.get("/v1/payments/999")).text)
    seen.append((await backend.client().get("/openapi.json")).text)
    seen.append(str(await read_events(http, 4, last_event_id=0)))
    async with httpx.AsyncClient(base_url=backend.url, trust_env=False) as raw:
        await raw.post(f"/callbacks/{CALLBACK_SECRET}/stk", content=b"junk")
    seen.append(caplog.text)
    seen += [str(r.args) + r.getMessage() for r in caplog.records]
    everything = "\n".join(seen)
    assert "payment" in everything  # the haystack is real
    for secret in secrets:
        assert secret not in everything
    assert "254700000000" not in str(await read_events(http, 4, last_event_id=0))


async def test_callback_allow_list_believes_only_trusted_proxies(backend_factory: Any) -> None:
    backend = await backend_factory(
        callback_allowed_ips=["196.201.214.0/24"], trusted_proxies=["127.0.0.1"]
    )
    url = f"{backend.url}/callbacks/{CALLBACK_SECRET}/c2b/confirmation"
    async with httpx.AsyncClient(trust_env=False) as raw:
        direct = await raw.post(url, json=c2b_body("RKL0000010"))
        via_proxy = await raw.post(
            url, json=c2b_body("RKL0000011"), headers={"X-Forwarded-For": "196.201.214.200"}
        )
        spoofed_chain = await raw.post(
            url,
            json=c2b_body("RKL0000012"),
            headers={"X-Forwarded-For": "196.201.214.200, 10.1.2.3"},
        )
    assert direct.status_code == 404
    assert via_proxy.status_code == 200
    assert spoofed_chain.status_code == 404
    owner = backend.client(backend.owner_token)
    receipts = [p["receipt"] for p in (await owner.get("/v1/payments")).json()["items"]]
    assert receipts == ["RKL0000011"]


async def test_forwarded_for_is_ignored_without_a_trusted_proxy(backend_factory: Any) -> None:
    backend = await backend_factory(callback_allowed_ips=["196.201.214.200"])
    async with httpx.AsyncClient(trust_env=False) as raw:
        answer = await raw.post(
            f"{backend.url}/callbacks/{CALLBACK_SECRET}/stk",
            json={},
            headers={"X-Forwarded-For": "196.201.214.200"},
        )
    assert answer.status_code == 404


async def test_daraja_not_configured_is_a_clear_503(backend_factory: Any) -> None:
    backend = await backend_factory(daraja_passkey="", shortcode="")
    answer = await pay(backend.client(backend.owner_token), 10, PAYS)
    assert answer.status_code == 503
    assert "not set up" in answer.json()["detail"]
    ready = await backend.client().get("/readyz")
    assert ready.status_code == 503 and ready.json()["database"] is True
