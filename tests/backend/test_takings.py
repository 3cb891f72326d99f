"""Takings per Africa/Nairobi day (whatever the host zone), the CSV, and the till's QR data."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import httpx

import keqr
from backend import ManualClock
from tests.backend.helpers import pay, wait_status
from tests.backend.test_callbacks import c2b_body
from tests.support.backend_fixtures import CALLBACK_SECRET, PAYS


async def test_a_day_is_a_nairobi_day(backend_factory: Any) -> None:
    # 23:59:30 in Nairobi on 4 December is 20:59:30 UTC.
    clock = ManualClock(dt.datetime(2026, 12, 4, 20, 59, 30, tzinfo=dt.UTC))
    backend = await backend_factory(clock=clock)
    _, token = await backend.cashier("amina", "1234")
    http = backend.client(token)
    late = (await pay(http, 100, PAYS)).json()
    await wait_status(http, late["id"], "paid")
    clock.advance(60)  # now 00:00:30 on 5 December in Nairobi
    early = (await pay(http, 40, PAYS)).json()
    await wait_status(http, early["id"], "paid")
    async with httpx.AsyncClient(base_url=backend.url, trust_env=False) as raw:
        await raw.post(
            f"/callbacks/{CALLBACK_SECRET}/c2b/confirmation", json=c2b_body("RKL0000001", "60")
        )
    owner = backend.client(backend.owner_token)
    dec4 = (await owner.get("/v1/takings", params={"date": "2026-12-04"})).json()
    dec5 = (await owner.get("/v1/takings", params={"date": "2026-12-05"})).json()
    assert (dec4["total"], dec4["count"]) == (100, 1)
    assert dec4["by_hour"] == [{"hour": 23, "total": 100, "count": 1}]
    assert (dec5["total"], dec5["count"]) == (100, 2)
    assert {(c["label"], c["total"]) for c in dec5["by_cashier"]} == {
        ("amina", 40),
        ("Till (customer paid directly)", 60),
    }
    assert {(c["key"], c["total"]) for c in dec5["by_channel"]} == {("stk", 40), ("till", 60)}
    assert (await owner.get("/v1/takings")).json()["date"] == "2026-12-05"  # today, in Nairobi
    # The CSV lists each paid payment once, with Nairobi dates.
    answer = await owner.get("/v1/takings.csv", params={"from": "2026-12-04", "to": "2026-12-05"})
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [(r["date"], r["amount"], r["cashier"]) for r in rows] == [
        ("2026-12-04", "100", "amina"),
        ("2026-12-05", "40", "amina"),
        ("2026-12-05", "60", "till"),
    ]
    backwards = await owner.get(
        "/v1/takings.csv", params={"from": "2026-12-05", "to": "2026-12-01"}
    )
    assert backwards.status_code == 422
    bad_date = await owner.get("/v1/takings", params={"date": "yesterday"})
    assert bad_date.status_code == 422


async def test_till_describes_the_qr_to_draw(backend_factory: Any) -> None:
    backend = await backend_factory(
        shortcode="300300", till_number="300301", shop_name="Mama Mboga"
    )
    _, token = await backend.cashier()
    till = (await backend.client(token).get("/v1/till")).json()
    assert (till["kind"], till["number"], till["name"]) == ("till", "300301", "Mama Mboga")
    assert till["qr_payload"] == keqr.till_payload("300301", "Mama Mboga")
    disabled = await backend.client(token).get("/v1/till/qr.png", params={"amount": 10})
    assert disabled.status_code == 503 and disabled.json()["code"] == "qr_disabled"


async def test_dynamic_qr_is_proxied_and_cached(backend_factory: Any, sim_control: Any) -> None:
    backend = await backend_factory(shortcode="300300", till_number="300301", dynamic_qr=True)
    http = backend.client(backend.owner_token)
    first = await http.get("/v1/till/qr.png", params={"amount": 250})
    assert first.status_code == 200, first.text
    assert first.content.startswith(b"\x89PNG")
    second = await http.get("/v1/till/qr.png", params={"amount": 250})
    assert second.content == first.content
    assert len(await sim_control.received("/mpesa/qrcode/v1/generate")) == 1
    assert (await http.get("/v1/till/qr.png", params={"amount": -1})).status_code == 422
