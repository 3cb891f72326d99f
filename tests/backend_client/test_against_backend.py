"""Every route through the client, against the real backend and the Daraja simulator."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import httpx
import pytest

from backend_client import (
    AuthExpired,
    Channel,
    DukaClient,
    Event,
    Forbidden,
    InvalidInput,
    MemoryTokenStore,
    NotFound,
    Payment,
    PaymentStatus,
    SyncDukaClient,
)
from tests.backend_client.e2e import PAYS, client_for, connected, stk_pushes, take_until
from tests.support.backend_fixtures import (
    CALLBACK_SECRET,
    OWNER,
    OWNER_PASSWORD,
    BackendSubprocess,
)
from tests.support.client_fixtures import FreezableProxy
from tests.support.servers import ServerThread

NAIROBI = ZoneInfo("Africa/Nairobi")


async def new_cashier(owner: DukaClient, backend: BackendSubprocess) -> DukaClient:
    name = f"c{uuid.uuid4().hex[:8]}"
    await owner.add_cashier(name, "4821")
    cashier = client_for(backend.url)
    await cashier.sign_in(name, "4821")
    return cashier


async def test_health_and_readiness(backend: BackendSubprocess) -> None:
    async with client_for(backend.url) as client:
        assert (await client.health()).status == "ok"
        ready = await client.ready()
        assert ready.database is True


async def test_charge_and_watch_the_confirmation_arrive(
    owner: DukaClient, backend: BackendSubprocess
) -> None:
    cashier = await new_cashier(owner, backend)
    async with cashier:
        stream = cashier.events()
        first = await connected(cashier, stream)  # subscribed before the payment exists
        payment = await cashier.request_payment(amount=120, phone=PAYS, reference="Table 4")
        assert payment.status in (PaymentStatus.PENDING, PaymentStatus.PAID)  # sim is instant
        assert payment.amount == 120
        assert payment.channel == Channel.STK
        assert "•" in payment.phone  # masked for cashiers
        events = [await asyncio.wait_for(first, 30)]
        events += await take_until(stream, lambda got: bool(got) and has_receipt(got[-1]))
        await stream.aclose()
        paid = events[-1]
        # Paid with the callback's receipt; or, when the reconciler's query (no receipt) beats
        # the callback on a busy box, paid and then the receipt as an event of its own.
        assert [e.type for e in events] in (
            ["payment.created", "payment.paid"],
            ["payment.created", "payment.paid", "payment.receipt"],
        )
        assert all(e.payment is not None and e.payment.id == payment.id for e in events)
        assert paid.payment is not None and paid.payment.status == PaymentStatus.PAID
        assert paid.payment.receipt
        again = await cashier.payment(payment.id)
        assert again.receipt == paid.payment.receipt
        listed = await cashier.payments(q=again.receipt)
        assert [p.id for p in listed.items] == [payment.id]


def has_receipt(event: Event) -> bool:
    return event.payment is not None and bool(event.payment.receipt)


async def test_same_idempotency_key_never_prompts_twice(
    owner: DukaClient, backend: BackendSubprocess, sim: ServerThread
) -> None:
    cashier = await new_cashier(owner, backend)
    async with cashier:
        before = stk_pushes(sim)
        key = "tap-" + uuid.uuid4().hex
        double_tap = await asyncio.gather(
            cashier.request_payment(amount=77, phone=PAYS, idempotency_key=key),
            cashier.request_payment(amount=77, phone=PAYS, idempotency_key=key),
        )
        retry = await cashier.request_payment(amount=77, phone=PAYS, idempotency_key=key)
        assert {p.id for p in [*double_tap, retry]} == {double_tap[0].id}
        assert stk_pushes(sim) == before + 1
        # With no key, a double tap still prompts once; the same sale afterwards is a new sale.
        keyless = await asyncio.gather(
            cashier.request_payment(amount=78, phone=PAYS),
            cashier.request_payment(amount=78, phone=PAYS),
        )
        assert keyless[0].id == keyless[1].id
        later = await cashier.request_payment(amount=78, phone=PAYS)
        assert later.id != keyless[0].id
        assert stk_pushes(sim) == before + 3


async def test_resend_after_a_lost_answer_reuses_the_key(
    owner: DukaClient, backend: BackendSubprocess, sim: ServerThread
) -> None:
    name = f"c{uuid.uuid4().hex[:8]}"
    await owner.add_cashier(name, "4821")
    # Sign in directly, so the payment opens the proxy's first connection: the held one (a
    # client that signed in through the proxy would reuse that connection and never be held).
    tokens = MemoryTokenStore()
    async with client_for(backend.url, token_store=tokens) as direct:
        await direct.sign_in(name, "4821")
    proxy = await FreezableProxy(backend.port).start()
    try:
        async with client_for(proxy.url, timeout=2.0, token_store=tokens) as cashier:
            before = stk_pushes(sim)
            proxy.hold_responses(1)  # the backend acts, but its answer never comes back
            payment = await cashier.request_payment(amount=55, phone=PAYS)
            assert payment.amount == 55
            assert proxy.connections >= 2  # the answer came on a resend
            paid = await settled(cashier, payment.id)
            assert paid.status == PaymentStatus.PAID
            assert stk_pushes(sim) == before + 1
            mine = await cashier.payments()
            assert [p.id for p in mine.items] == [payment.id]
    finally:
        await proxy.close()


async def settled(client: DukaClient, payment_id: int, within: float = 30.0) -> Payment:
    """Poll a payment until it leaves pending (its push is done and answered by then)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while (payment := await client.payment(payment_id)).status == PaymentStatus.PENDING:
        assert loop.time() < deadline, f"payment {payment_id} still pending after {within} s"
        await asyncio.sleep(0.05)
    return payment


async def test_invalid_input_gets_a_message_a_cashier_can_act_on(owner: DukaClient) -> None:
    with pytest.raises(InvalidInput) as caught:
        await owner.request_payment(amount=0, phone=PAYS, idempotency_key="k-invalid")
    assert "KSh 1" in caught.value.user_message
    assert caught.value.idempotency_key == "k-invalid"
    with pytest.raises(InvalidInput) as caught:
        await owner.request_payment(amount=100, phone="12")
    assert caught.value.user_message
    with pytest.raises(NotFound):
        await owner.payment(987654321)


async def test_wrong_pin_and_expired_session(backend: BackendSubprocess) -> None:
    async with client_for(backend.url) as client:
        with pytest.raises(InvalidInput) as caught:
            await client.sign_in(OWNER, "not-the-password")
        assert caught.value.http_status == 401
        with pytest.raises(AuthExpired):
            await client.takings()
    async with client_for(backend.url) as client:
        await client.sign_in(OWNER, OWNER_PASSWORD)
        token = await client.token_store.load()
        await client.sign_out()
        assert await client.token_store.load() is None
    async with client_for(backend.url) as stale:
        await stale.token_store.save(token or "")
        with pytest.raises(AuthExpired):
            await stale.payments()
        assert await stale.token_store.load() is None  # a revoked token is forgotten


async def test_team_management_is_owner_only(owner: DukaClient, backend: BackendSubprocess) -> None:
    cashier = await new_cashier(owner, backend)
    async with cashier:
        with pytest.raises(Forbidden):
            await cashier.cashiers()
        with pytest.raises(Forbidden):
            await cashier.add_cashier("sneaky", "1111")
    team = await owner.cashiers()
    target = team[-1]
    updated = await owner.update_cashier(target.id, disabled=True)
    assert updated.disabled is True
    with pytest.raises(InvalidInput):
        await owner.add_cashier("x", "12")


async def test_takings_csv_and_till(owner: DukaClient) -> None:
    today = dt.datetime.now(NAIROBI).date()
    takings = await owner.takings(today)
    assert takings.date == today
    assert takings.total == sum(h.total for h in takings.by_hour)
    csv = await owner.takings_csv(today, today)
    assert csv.splitlines()[0]
    till = await owner.till()
    assert till.number == "174379"
    assert till.kind in ("till", "paybill")
    assert till.dynamic_qr is True
    png = await owner.till_qr_png(amount=150)
    assert png.startswith(b"\x89PNG")
    with pytest.raises(InvalidInput):
        await owner.till_qr_png(amount=0)


def test_sync_facade_runs_the_same_calls(backend: BackendSubprocess) -> None:
    with SyncDukaClient(backend.url) as client:
        session = client.sign_in(OWNER, OWNER_PASSWORD)
        assert session.role == "owner"
        assert client.health().status == "ok"
        assert client.till().number == "174379"
        assert client.run(client.client.payments(limit=1)).items is not None
        with pytest.raises(NotFound):
            client.payment(987654321)


def test_sync_facade_lists_and_resolves_flags(backend: BackendSubprocess) -> None:
    """An unreadable callback is held back as a flag; the owner reviews it through the facade."""
    answer = httpx.post(
        f"{backend.url}/callbacks/{CALLBACK_SECRET}/stk", content=b"\xff{not json", timeout=10
    )
    assert answer.status_code == 200
    with SyncDukaClient(backend.url) as client:
        client.sign_in(OWNER, OWNER_PASSWORD)
        held = [f for f in client.flags().items if f.source == "callback" and not f.reviewed]
        assert held, "the unreadable callback was not flagged"
        flag = held[0]
        resolved = client.resolve_flag(flag.id, "resent by Safaricom, nothing lost")
        assert resolved.id == flag.id and resolved.reviewed
        assert resolved.review_note == "resent by Safaricom, nothing lost"
        assert flag.id not in {f.id for f in client.flags().items}
        assert flag.id in {f.id for f in client.flags(include_reviewed=True).items}
        with pytest.raises(NotFound):
            client.resolve_flag("payment-987654321")
