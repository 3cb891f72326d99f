"""Sign-in, tokens, lockout and owner-only cashier management, over real HTTP."""

from __future__ import annotations

from tests.support.backend_fixtures import OWNER, OWNER_PASSWORD, RunningBackend


async def test_health_and_openapi(backend: RunningBackend) -> None:
    http = backend.client()
    assert (await http.get("/healthz")).json() == {"status": "ok"}
    schema = (await http.get("/openapi.json")).json()
    assert "/v1/payments" in schema["paths"]
    assert "PaymentPublic" in schema["components"]["schemas"]
    assert not any(path.startswith("/callbacks") for path in schema["paths"])


async def test_ready_when_database_and_daraja_answer(backend: RunningBackend) -> None:
    ready = await backend.client().get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "database": True, "daraja": True, "detail": ""}


async def test_owner_signs_in_and_out(backend: RunningBackend) -> None:
    token = await backend.login(OWNER, OWNER_PASSWORD)
    http = backend.client(token)
    assert (await http.get("/v1/cashiers")).status_code == 200
    assert (await http.delete("/v1/session")).status_code == 204
    after = await http.get("/v1/cashiers")
    assert after.status_code == 401
    assert after.json()["code"] == "not_authenticated"


async def test_wrong_password_and_unknown_user_look_the_same(backend: RunningBackend) -> None:
    http = backend.client()
    wrong = await http.post("/v1/session", json={"username": OWNER, "secret": "nope-nope-1"})
    ghost = await http.post("/v1/session", json={"username": "ghost", "secret": "nope-nope-1"})
    assert wrong.status_code == ghost.status_code == 401
    assert wrong.json() == ghost.json()


async def test_cashier_pin_lockout_after_repeated_failures(backend: RunningBackend) -> None:
    await backend.cashier("juma", "1234")
    http = backend.client()
    for _ in range(backend.settings.login_max_failures):
        bad = await http.post("/v1/session", json={"username": "juma", "secret": "9999"})
        assert bad.status_code == 401
    locked = await http.post("/v1/session", json={"username": "juma", "secret": "1234"})
    assert locked.status_code == 429
    assert "Try again" in locked.json()["detail"]


async def test_cashier_management(backend: RunningBackend) -> None:
    cashier_id, token = await backend.cashier("wanjiru", "5678")
    owner = backend.client(backend.owner_token)
    listed = (await owner.get("/v1/cashiers")).json()
    assert [c["username"] for c in listed] == ["wanjiru"]
    dup = await owner.post("/v1/cashiers", json={"username": "wanjiru", "pin": "1111"})
    assert dup.status_code == 409
    bad_pin = await owner.post("/v1/cashiers", json={"username": "otieno", "pin": "12ab"})
    assert bad_pin.status_code == 422
    assert "4 to 6 digits" in bad_pin.json()["detail"]
    # Re-PIN signs the cashier out; the new PIN works, the old one does not.
    repin = await owner.patch(f"/v1/cashiers/{cashier_id}", json={"pin": "2468"})
    assert repin.status_code == 200
    assert (await backend.client(token).get("/v1/till")).status_code == 401
    new_token = await backend.login("wanjiru", "2468")
    disabled = await owner.patch(f"/v1/cashiers/{cashier_id}", json={"disabled": True})
    assert disabled.json()["disabled"] is True
    assert (await backend.client(new_token).get("/v1/till")).status_code == 401
    refused = await backend.client().post(
        "/v1/session", json={"username": "wanjiru", "secret": "2468"}
    )
    assert refused.status_code == 401
    assert "disabled" in refused.json()["detail"]
    missing = await owner.patch("/v1/cashiers/9999", json={"disabled": True})
    assert missing.status_code == 404


OWNER_ROUTES = [
    ("GET", "/v1/cashiers", None),
    ("POST", "/v1/cashiers", {"username": "x1", "pin": "1234"}),
    ("PATCH", "/v1/cashiers/1", {"disabled": True}),
    ("GET", "/v1/takings", None),
    ("GET", "/v1/takings.csv?from=2026-01-01&to=2026-01-02", None),
]


async def test_every_owner_route_refuses_a_cashier(backend: RunningBackend) -> None:
    _, token = await backend.cashier()
    http = backend.client(token)
    for method, path, body in OWNER_ROUTES:
        answer = await http.request(method, path, json=body)
        assert answer.status_code == 403, (method, path, answer.text)
        assert answer.json()["code"] == "forbidden"
    anonymous = backend.client()
    for method, path, body in OWNER_ROUTES:
        assert (await anonymous.request(method, path, json=body)).status_code == 401
