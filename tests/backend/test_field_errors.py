"""Refused input names the field to fix, on the wire and in `InvalidInput.field_errors`."""

from __future__ import annotations

import pytest

from backend_client import DukaClient, InvalidInput, MemoryTokenStore
from tests.backend.helpers import pay
from tests.support.backend_fixtures import OWNER, OWNER_PASSWORD, RunningBackend


async def test_a_validation_error_names_every_field(backend: RunningBackend) -> None:
    http = backend.client(backend.owner_token)
    answer = await pay(http, 0, 12, reference="far too long a reference")
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "invalid_input"
    assert body["field"] == "amount" and body["detail"] == "The amount must be at least KSh 1."
    fields = {item["field"]: item["message"] for item in body["fields"]}
    assert set(fields) == {"amount", "reference"}
    assert fields["amount"] == body["detail"]
    assert "12 letters" in fields["reference"]


async def test_a_missing_field_and_a_service_refusal_name_their_field(
    backend: RunningBackend,
) -> None:
    http = backend.client(backend.owner_token)
    missing = (await http.post("/v1/payments", json={"amount": 5})).json()
    assert missing["field"] == "phone" and missing["detail"] == "'phone' is required."
    bad_phone = (await pay(http, 5, "0799")).json()  # passes the schema; the service refuses
    assert (bad_phone["code"], bad_phone["field"]) == ("invalid_phone", "phone")
    assert bad_phone["fields"] == [{"field": "phone", "message": bad_phone["detail"]}]
    bad_pin = await http.post("/v1/cashiers", json={"username": "zawadi", "pin": "12"})
    assert (bad_pin.status_code, bad_pin.json()["field"]) == (422, "pin")


async def test_errors_with_no_field_to_blame_leave_it_out(backend: RunningBackend) -> None:
    http = backend.client(backend.owner_token)
    not_json = await http.post(
        "/v1/payments", content=b"{", headers={"Content-Type": "application/json"}
    )
    assert not_json.status_code == 400 and "field" not in not_json.json()
    missing = await http.get("/v1/payments/987654")
    assert set(missing.json()) == {"code", "detail"}


async def test_the_client_fills_field_errors(backend: RunningBackend) -> None:
    async with DukaClient(backend.url, token_store=MemoryTokenStore()) as client:
        await client.sign_in(OWNER, OWNER_PASSWORD)
        with pytest.raises(InvalidInput) as caught:
            await client.request_payment(amount=0, phone="0711 000 111")
        assert caught.value.field_errors == {"amount": "The amount must be at least KSh 1."}
        with pytest.raises(InvalidInput) as caught:
            await client.request_payment(amount=10, phone="0799")
        assert list(caught.value.field_errors) == ["phone"]
        assert caught.value.user_message == caught.value.field_errors["phone"]
