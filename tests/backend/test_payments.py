"""STK payments end to end: backend → simulator → callback → payment and takings."""

from __future__ import annotations

import asyncio

from daraja_sim import SimController
from tests.backend.helpers import STK_PATH, pay, wait_status
from tests.support.backend_fixtures import (
    BROKE,
    CANCELS,
    EXPIRES,
    PAYS,
    UNREACHABLE,
    WRONG_PIN,
    RunningBackend,
)


async def test_paid_payment_reaches_paid_with_receipt(backend: RunningBackend) -> None:
    _, token = await backend.cashier()
    http = backend.client(token)
    created = await pay(http, 250, "0700 000 000", reference="Table 4")
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] in ("pending", "paid")
    assert body["phone"] == "2547••••000"
    paid = await wait_status(http, body["id"], "paid")
    assert paid["receipt"] and len(paid["receipt"]) == 10
    assert paid["amount"] == 250 and paid["reference"] == "Table 4"
    owner = backend.client(backend.owner_token)
    takings = (await owner.get("/v1/takings")).json()
    assert takings["total"] == 250 and takings["count"] == 1
    assert takings["by_cashier"][0]["label"] == "amina"
    assert takings["by_channel"][0]["key"] == "stk"


async def test_repeated_idempotency_key_prompts_once(
    backend: RunningBackend, sim_control: SimController
) -> None:
    http = backend.client(backend.owner_token)
    answers = await asyncio.gather(*(pay(http, 100, PAYS, key="same-key-1") for _ in range(5)))
    ids = {a.json()["id"] for a in answers}
    assert len(ids) == 1 and all(a.status_code == 201 for a in answers)
    await wait_status(http, ids.pop(), "paid")
    assert len(await sim_control.received(STK_PATH)) == 1
    reused = await pay(http, 999, PAYS, key="same-key-1")
    assert reused.status_code == 409
    assert reused.json()["code"] == "idempotency_key_reused"
    takings = (await http.get("/v1/takings")).json()
    assert takings["total"] == 100 and takings["count"] == 1


async def test_failures_carry_code_and_plain_reason(backend: RunningBackend) -> None:
    http = backend.client(backend.owner_token)
    cases = {
        CANCELS: (1032, "Customer cancelled"),
        WRONG_PIN: (2001, "Wrong PIN"),
        UNREACHABLE: (1037, "Phone unreachable"),
        BROKE: (1, "insufficient funds"),
        EXPIRES: (1019, "expired"),
    }
    created = {phone: (await pay(http, 50, phone)).json()["id"] for phone in cases}
    for phone, (code, words) in cases.items():
        failed = await wait_status(http, created[phone], "failed")
        assert failed["result_code"] == code, failed
        assert words in failed["reason"]
        assert failed["receipt"] is None
    assert (await http.get("/v1/takings")).json()["total"] == 0


async def test_listing_filters_and_cashier_visibility(backend: RunningBackend) -> None:
    _, amina = await backend.cashier("amina", "1111")
    _, juma = await backend.cashier("juma", "2222")
    a, j = backend.client(amina), backend.client(juma)
    first = (await pay(a, 10, PAYS)).json()["id"]
    second = (await pay(j, 20, CANCELS)).json()["id"]
    paid = await wait_status(a, first, "paid")
    await wait_status(j, second, "failed")
    assert (await a.get(f"/v1/payments/{second}")).status_code == 404
    assert [p["id"] for p in (await a.get("/v1/payments")).json()["items"]] == [first]
    owner = backend.client(backend.owner_token)
    everything = (await owner.get("/v1/payments")).json()
    assert {p["id"] for p in everything["items"]} == {first, second}
    assert everything["total_amount"] == 10
    by_receipt = (await owner.get("/v1/payments", params={"q": paid["receipt"]})).json()
    assert [p["id"] for p in by_receipt["items"]] == [first]
    by_digits = (await owner.get("/v1/payments", params={"q": "001"})).json()
    assert [p["id"] for p in by_digits["items"]] == [second]
    failed = (await owner.get("/v1/payments", params={"status": "failed"})).json()
    assert [p["id"] for p in failed["items"]] == [second]


BAD_BODIES = [
    ({"amount": -5, "phone": PAYS}, "at least KSh 1"),
    ({"amount": 12.5, "phone": PAYS}, "whole shillings"),
    ({"amount": "lots", "phone": PAYS}, "number of shillings"),
    ({"amount": 300_000, "phone": PAYS}, "at most"),
    ({"amount": 10, "phone": "12345"}, "not an M-PESA phone number"),
    ({"amount": 10, "phone": ["0712"]}, "phone number"),
    ({"amount": 10}, "'phone' is required"),
    ({"amount": 10, "phone": PAYS, "reference": "way too long reference"}, "12 letters"),
    ([1, 2, 3], "JSON object"),
]


async def test_bad_input_gets_a_clear_4xx(
    backend: RunningBackend, sim_control: SimController
) -> None:
    http = backend.client(backend.owner_token)
    for body, words in BAD_BODIES:
        answer = await http.post("/v1/payments", json=body, headers={"Idempotency-Key": "k"})
        assert 400 <= answer.status_code < 500, (body, answer.text)
        assert words in answer.json()["detail"], (body, answer.json())
    broken = await http.post(
        "/v1/payments",
        content=b'{"amount": 10,',
        headers={"Idempotency-Key": "k2", "Content-Type": "application/json"},
    )
    assert broken.status_code == 400 and broken.json()["code"] == "invalid_json"
    huge = await http.post(
        "/v1/payments",
        content=b'{"amount": 10, "phone": "' + b"7" * 200_000 + b'"}',
        headers={"Idempotency-Key": "k3", "Content-Type": "application/json"},
    )
    assert huge.status_code == 413
    keyless = await http.post("/v1/payments", json={"amount": 10, "phone": PAYS})
    assert keyless.status_code == 422 and "Idempotency-Key" in keyless.json()["detail"]
    assert (await http.get("/v1/payments/notanumber")).status_code == 422
    assert await sim_control.received(STK_PATH) == []
