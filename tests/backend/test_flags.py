"""Owner-only flags: what was held back instead of counted, listed in plain words and reviewed."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from backend.core.clock import ManualClock
from backend.money_models import AuditEntry
from backend_client import DukaClient, MemoryTokenStore, NotFound
from tests.backend.helpers import pay, read_events
from tests.backend.test_callbacks import c2b_body, stk_body
from tests.support.backend_fixtures import CALLBACK_SECRET, OWNER, OWNER_PASSWORD, RunningBackend

PHONE_DIGITS = "254711000111"


async def _post(backend: RunningBackend, kind: str, **kwargs: Any) -> None:
    async with httpx.AsyncClient(base_url=backend.url, trust_env=False) as raw:
        answer = await raw.post(f"/callbacks/{CALLBACK_SECRET}/{kind}", **kwargs)
        assert answer.status_code == 200


async def _mismatched_payment(backend: RunningBackend) -> int:
    owner = backend.client(backend.owner_token)
    created = (await pay(owner, 500, "0711 000 111")).json()
    checkout = await backend.checkout_id(created["id"])
    await _post(backend, "stk", json=stk_body(checkout, amount=5))
    return int(created["id"])


async def test_owner_lists_flags_with_plain_reasons_and_no_full_phone(
    backend: RunningBackend,
) -> None:
    payment_id = await _mismatched_payment(backend)
    await _post(backend, "stk", content=b"\xff{not json")
    await _post(backend, "c2b/confirmation", json=c2b_body("RKL9FOREIGN", shortcode="999999"))
    owner = backend.client(backend.owner_token)
    answer = await owner.get("/v1/flags")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["open"] == 3
    by_id = {item["id"]: item for item in body["items"]}
    mismatch = by_id[f"payment-{payment_id}"]
    assert mismatch["source"] == "payment" and not mismatch["reviewed"]
    assert "KSh 5" in mismatch["reason"] and "KSh 500" in mismatch["reason"]
    assert mismatch["payment"]["phone"] == "2547••••111"
    unreadable = [item for item in body["items"] if item["source"] == "callback"]
    assert len(unreadable) == 1 and "could not read" in unreadable[0]["reason"]
    assert unreadable[0]["callback_kind"] == "stk" and unreadable[0]["payment"] is None
    assert any("999999" in item["reason"] for item in body["items"])
    assert PHONE_DIGITS not in answer.text
    times = [item["at"] for item in body["items"]]
    assert times == sorted(times, reverse=True)


async def test_resolving_a_flag_is_audited_once_and_hides_it(backend: RunningBackend) -> None:
    payment_id = await _mismatched_payment(backend)
    owner = backend.client(backend.owner_token)
    flag_id = f"payment-{payment_id}"
    for _ in range(2):  # a double tap resolves once
        answer = await owner.post(f"/v1/flags/{flag_id}/resolve", json={"note": "called Wanjiru"})
        assert answer.status_code == 200, answer.text
        resolved = answer.json()
        assert resolved["reviewed"] and resolved["reviewed_by"] == "owner"
        assert resolved["review_note"] == "called Wanjiru"
    assert (await owner.get("/v1/flags")).json() == {"items": [], "open": 0}
    everything = (await owner.get("/v1/flags", params={"include_reviewed": "true"})).json()
    assert [item["id"] for item in everything["items"]] == [flag_id]
    async with backend.db() as session:
        entries = list(
            await session.scalars(select(AuditEntry).where(AuditEntry.action == "flag.resolve"))
        )
    assert [(e.subject, e.username, e.outcome) for e in entries] == [(flag_id, "owner", "reviewed")]
    # The payment itself stays flagged and uncounted: reviewing is not paying.
    assert (await owner.get(f"/v1/payments/{payment_id}")).json()["flagged"]
    assert (await owner.get("/v1/takings")).json()["total"] == 0


async def test_unknown_flags_are_not_found(backend: RunningBackend) -> None:
    owner = backend.client(backend.owner_token)
    for flag_id in ("payment-999", "callback-999", "nonsense", "payment-1x"):
        answer = await owner.post(f"/v1/flags/{flag_id}/resolve")
        assert answer.status_code == 404, flag_id
        assert answer.json()["code"] == "not_found"


async def test_cashier_is_refused(backend: RunningBackend) -> None:
    await _mismatched_payment(backend)
    _, token = await backend.cashier()
    cashier = backend.client(token)
    listed = await cashier.get("/v1/flags")
    assert listed.status_code == 403 and listed.json()["code"] == "forbidden"
    flag_id = (await backend.client(backend.owner_token).get("/v1/flags")).json()["items"][0]["id"]
    resolved = await cashier.post(f"/v1/flags/{flag_id}/resolve")
    assert resolved.status_code == 403
    assert (await backend.client(backend.owner_token).get("/v1/flags")).json()["open"] == 1


async def test_owner_hears_of_a_flag_and_cashier_does_not(backend: RunningBackend) -> None:
    _, token = await backend.cashier()
    owner_ready, cashier_ready = asyncio.Event(), asyncio.Event()
    owner_feed = asyncio.create_task(
        read_events(backend.client(backend.owner_token), 1, ready=owner_ready)
    )
    cashier_feed = asyncio.create_task(read_events(backend.client(token), 1, ready=cashier_ready))
    await owner_ready.wait()
    await cashier_ready.wait()
    await _post(backend, "stk", json={"Body": 3})
    (event,) = await owner_feed
    assert event["kind"] == "flag.raised" and event["flag_id"].startswith("callback-")
    # The cashier's next event is the till payment below, not the flag.
    await _post(backend, "c2b/confirmation", json=c2b_body("RKL9TILL001"))
    (seen,) = await cashier_feed
    assert seen["kind"] == "c2b.received"


async def test_a_callback_nobody_asked_for_is_flagged_once_it_stays_unmatched(
    backend_factory: Any,
) -> None:
    clock = ManualClock(dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC))
    backend = await backend_factory(clock=clock)
    await _post(backend, "stk", json=stk_body("ws_CO_nobody_asked_for_this"))
    owner = backend.client(backend.owner_token)
    assert (await owner.get("/v1/flags")).json()["open"] == 0  # may still be matched
    clock.advance(3600)
    (item,) = (await owner.get("/v1/flags")).json()["items"]
    assert item["source"] == "callback" and "no record" in item["reason"]
    answer = await owner.post(f"/v1/flags/{item['id']}/resolve")
    assert answer.status_code == 200 and answer.json()["reviewed"]


async def test_the_client_lists_and_resolves_flags(backend: RunningBackend) -> None:
    payment_id = await _mismatched_payment(backend)
    async with DukaClient(backend.url, token_store=MemoryTokenStore()) as client:
        await client.sign_in(OWNER, OWNER_PASSWORD)
        listed = await client.flags()
        assert [flag.id for flag in listed.items] == [f"payment-{payment_id}"]
        assert listed.items[0].payment is not None and listed.items[0].payment.amount == 500
        resolved = await client.resolve_flag(listed.items[0].id, note="refunded by hand")
        assert resolved.reviewed and resolved.review_note == "refunded by hand"
        assert (await client.flags()).open == 0
        assert len((await client.flags(include_reviewed=True)).items) == 1
        with pytest.raises(NotFound):
            await client.resolve_flag("payment-987654")
