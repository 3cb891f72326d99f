"""Whatever a client sends, the answer is a clear 4xx (or a payment), never a 5xx."""

from __future__ import annotations

import json
import uuid

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.backend_fixtures import CALLBACK_SECRET, RunningBackend

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner)
)
bodies = st.one_of(
    st.fixed_dictionaries(
        {"amount": values, "phone": values}, optional={"reference": values, "extra": values}
    ),
    values,
)


async def test_payment_requests_never_get_a_5xx(backend: RunningBackend) -> None:
    http = backend.client(backend.owner_token)
    seen: list[int] = []

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
        database=None,
    )
    @given(body=bodies)
    def check(body: object) -> None:
        seen.append(0)
        payloads.append(json.dumps(body).encode())

    payloads: list[bytes] = []
    check()
    for payload in payloads:
        answer = await http.post(
            "/v1/payments",
            content=payload,
            headers={"Idempotency-Key": uuid.uuid4().hex, "Content-Type": "application/json"},
        )
        assert answer.status_code < 500, (payload, answer.text)
        if answer.status_code >= 400:
            assert answer.json()["detail"], payload
    assert len(seen) == 60


async def test_callbacks_always_get_daraja_shaped_answers(backend: RunningBackend) -> None:
    junk = [b"", b"null", b"[]", b'{"Body": {"stkCallback": {"ResultCode": "x"}}}', b"\x00\xff"]
    junk.append(json.dumps({"Body": {"stkCallback": {"CheckoutRequestID": 5, "ResultCode": 0}}}))
    async with httpx.AsyncClient(base_url=backend.url, trust_env=False) as raw:
        for body in junk:
            for kind in ("stk", "c2b/confirmation", "result", "timeout"):
                answer = await raw.post(f"/callbacks/{CALLBACK_SECRET}/{kind}", content=body)
                assert answer.status_code == 200, (kind, body, answer.text)
                assert "ResultCode" in answer.json()
            validation = await raw.post(
                f"/callbacks/{CALLBACK_SECRET}/c2b/validation", content=body
            )
            assert validation.json()["ResultCode"] == "C2B00016"
