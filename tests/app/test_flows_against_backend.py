"""The cashier's and owner's flows through the view-models, against the real backend + simulator.

No screen: the same commands the views call, checked through the state the views read.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest

import keqr
from app.viewmodels.payment import PaymentState
from app.viewmodels.shell import AppViewModel
from backend.services.doctor import register_c2b
from backend_client.client import DukaClient
from backend_client.events import StreamOptions
from backend_client.tokens import MemoryTokenStore
from daraja_sim import TILL_NUMBER, TILL_STORE
from tests.app.waiting import until
from tests.support.backend_fixtures import CANCELS, OWNER, OWNER_PASSWORD, PAYS
from tests.support.client_fixtures import FreezableProxy


@contextlib.asynccontextmanager
async def signed_in(url: str, username: str, secret: str) -> AsyncIterator[AppViewModel]:
    """An app view-model signed in, with its live feed running as the shell would run it."""
    app = AppViewModel(token_store=MemoryTokenStore(), server=url)
    app.session.set_field("username", username)
    app.session.set_field("secret", secret)
    assert await app.sign_in(), app.session.error
    feed = asyncio.create_task(app.feed.run(app.client))
    try:
        await until(app.feed, lambda: app.feed.connection == "connected")
        yield app
    finally:
        feed.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await feed
        await app.sign_out()


async def charge(app: AppViewModel, amount: int, phone: str) -> None:
    app.charge.set_amount_text(str(amount))
    app.charge.set_phone(phone)
    payment = await app.charge_customer()
    assert payment is not None
    await until(payment, lambda: payment.finished)


async def test_cashier_charges_sees_paid_then_cancelled(backend: Any) -> None:
    await backend.cashier("amina", "4821")
    async with signed_in(backend.url, "amina", "4821") as app:
        assert app.route == "charge"
        await charge(app, 100, "0700 000 000")
        payment = app.payment
        assert payment is not None and payment.state is PaymentState.PAID
        assert payment.receipt and payment.paid_time
        assert app.route == "payment"
        await until(app.feed, lambda: any(i.receipt == payment.receipt for i in app.feed.items))
        assert app.charge.recent == [PAYS]

        app.new_sale()
        assert (app.route, app.charge.amount) == ("charge", 0)
        await charge(app, 100, CANCELS)
        assert app.payment is not None and app.payment.state is PaymentState.FAILED
        assert app.payment.reason_key == "reason.cancelled"
        assert app.t(app.payment.reason_key).startswith("Customer cancelled")

        failed = app.payment
        again = await app.try_again()  # one tap: same amount, same customer, a fresh prompt
        assert again is not None and again is app.payment and again is not failed
        await until(again, lambda: again.finished)
        assert (again.amount, again.msisdn) == (100, CANCELS)
        assert again.payment_id != failed.payment_id


async def till_backend(backend_factory: Any) -> Any:
    """A backend for a Buy Goods till whose C2B URLs are registered with the simulator."""
    running = await backend_factory(shortcode=TILL_STORE, till_number=TILL_NUMBER)
    answer = await register_c2b(running.settings)
    assert answer.startswith("C2B URLs registered"), answer
    return running


async def test_till_payment_appears_on_the_feed_and_in_takings(
    backend_factory: Any, sim_control: Any
) -> None:
    backend = await till_backend(backend_factory)
    async with signed_in(backend.url, OWNER, OWNER_PASSWORD) as owner:
        assert owner.route == "takings"
        assert owner.till.number == TILL_NUMBER and owner.till.png_base64
        await sim_control.pay(TILL_NUMBER, "254711222333", 250)
        await until(owner.feed, lambda: any(i.channel == "till" for i in owner.feed.items))
        item = owner.feed.items[0]
        assert (item.amount, item.amount_text) == (250, "KSh 250")
        await owner.takings.load(owner.client)
        assert owner.takings.error == ""
        assert owner.takings.total >= 250 and owner.takings.count >= 1
        assert sum(owner.takings.hourly) == owner.takings.total
        csv_text = (await owner.takings.export_csv(owner.client)).decode()
        assert item.receipt in csv_text and owner.takings.error == ""
        await owner.takings.load(owner.client, owner.takings.day - dt.timedelta(days=1))
        assert (owner.takings.total, owner.takings.count) == (0, 0)


async def test_wrong_pin_is_shown_and_nothing_is_stored(backend: Any) -> None:
    await backend.cashier("baraka", "1357")
    store = MemoryTokenStore()
    app = AppViewModel(token_store=store, server=backend.url)
    app.session.set_field("username", "baraka")
    app.session.set_field("secret", "9999")
    assert not await app.sign_in()
    assert (app.session.error, app.route) == ("signin.wrong", "signin")
    assert app.t(app.session.error).startswith("Wrong username")
    app.set_language("sw")
    assert app.t(app.session.error).startswith("Jina, PIN")
    assert await store.load() is None


async def test_missing_fields_are_named_before_any_request() -> None:
    app = AppViewModel(token_store=MemoryTokenStore(), server="")
    assert not await app.sign_in()
    assert app.session.error == "signin.missing_server"
    app.session.set_field("server", "ftp://shop")
    assert not await app.sign_in()
    assert app.session.error == "signin.bad_server"


async def test_unreachable_backend_says_so() -> None:
    app = AppViewModel(token_store=MemoryTokenStore(), server="http://127.0.0.1:9")
    app.session.set_field("username", "amina")
    app.session.set_field("secret", "4821")
    assert not await app.sign_in()
    assert app.session.error == "error.offline"
    assert "server" in app.t(app.session.error)


async def test_sign_out_forgets_the_token_and_restore_resumes(backend: Any) -> None:
    await backend.cashier("chebet", "2468")
    store = MemoryTokenStore()
    app = AppViewModel(token_store=store, server=backend.url)
    app.session.set_field("username", "chebet")
    app.session.set_field("secret", "2468")
    assert await app.sign_in()
    assert await store.load()
    again = AppViewModel(token_store=store, server=backend.url)
    assert await again.restore("chebet", "cashier")
    assert again.route == "charge" and again.session.user is not None
    await again.sign_out()
    assert await store.load() is None
    assert again.route == "signin"
    await app.session.client.aclose()  # type: ignore[union-attr]


async def test_owner_manages_the_team(backend: Any) -> None:
    app = AppViewModel(token_store=MemoryTokenStore(), server=backend.url)
    app.session.set_field("username", OWNER)
    app.session.set_field("secret", OWNER_PASSWORD)
    assert await app.sign_in()
    team = app.team
    assert not await team.add(app.client, "dan", "12")
    assert team.error == "team.bad_pin"
    assert await team.add(app.client, "dan", "4321"), team.error
    dan = next(c for c in team.cashiers if c.username == "dan")
    assert await team.set_pin(app.client, dan.id, "8765")
    assert await team.set_disabled(app.client, dan.id, True)
    assert next(c for c in team.cashiers if c.username == "dan").disabled
    cashier = AppViewModel(token_store=MemoryTokenStore(), server=backend.url)
    cashier.session.set_field("username", "dan")
    cashier.session.set_field("secret", "8765")
    assert not await cashier.sign_in()  # disabled cashiers cannot sign in
    await app.sign_out()


@pytest.mark.parametrize("language", ["en", "sw"])
async def test_transactions_search_by_last_digits(backend: Any, language: str) -> None:
    await backend.cashier("faith", "1122")
    async with signed_in(backend.url, "faith", "1122") as app:
        app.set_language(language)
        await charge(app, 120, PAYS)
        receipt = app.payment.receipt  # type: ignore[union-attr]
    async with signed_in(backend.url, OWNER, OWNER_PASSWORD) as owner:
        await owner.transactions.search(owner.client, receipt)
        assert [p.receipt for p in owner.transactions.items] == [receipt]
        await owner.transactions.search(owner.client, "000")
        assert any(p.receipt == receipt for p in owner.transactions.items)


async def test_show_qr_instead_offers_the_matching_till_payment(
    backend_factory: Any, sim_control: Any
) -> None:
    backend = await till_backend(backend_factory)
    await backend.cashier("gathoni", "7531")
    async with signed_in(backend.url, "gathoni", "7531") as app:
        app.charge.set_amount_text("150")
        # An unscripted number: the prompt waits for a person on the simulator's phone page.
        app.charge.set_phone("0712 345 678")
        payment = await app.charge_customer()
        assert payment is not None and payment.state is PaymentState.WAITING
        app.show_qr_for_sale(True)
        assert (payment.showing_qr, app.till.amount) == (True, 150)
        assert keqr.decode(app.till.payload or "").amount == Decimal("150.00")

        await sim_control.pay(TILL_NUMBER, "254722000111", 99)  # someone else's payment
        await sim_control.pay(TILL_NUMBER, "254722000222", 150)
        await until(payment, lambda: payment.match_offer is not None)
        offer = payment.match_offer
        assert offer is not None and offer.amount == 150 and offer.receipt
        payment.accept_match()
        assert (payment.state, payment.receipt) == (PaymentState.PAID, offer.receipt)
        assert payment.matched is offer and not payment.showing_qr


async def test_a_payment_made_while_the_connection_is_dead_still_reaches_the_feed(
    backend_factory: Any, sim_control: Any
) -> None:
    backend = await till_backend(backend_factory)
    proxy = await FreezableProxy(int(backend.url.rsplit(":", 1)[1])).start()
    stream = StreamOptions(
        heartbeat_timeout=1.5, backoff_initial=0.05, backoff_max=0.2, offline_after=10
    )

    def client(url: str, store: Any) -> DukaClient:
        return DukaClient(url, token_store=store, stream=stream)

    try:
        app = AppViewModel(token_store=MemoryTokenStore(), server=proxy.url, client_factory=client)
        app.session.set_field("username", OWNER)
        app.session.set_field("secret", OWNER_PASSWORD)
        assert await app.sign_in()
        feed = asyncio.create_task(app.feed.run(app.client))
        await until(app.feed, lambda: app.feed.connection == "connected")
        badges: list[str] = []
        app.feed.subscribe(lambda: badges.append(app.feed.connection))

        proxy.freeze()  # a NAT that silently stops forwarding: no error, no FIN
        await sim_control.pay(TILL_NUMBER, "254733000444", 321)
        await until(app.feed, lambda: any(i.amount == 321 for i in app.feed.items))
        assert [i.amount for i in app.feed.items].count(321) == 1
        assert "reconnecting" in badges and app.feed.connection == "connected"
        feed.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await feed
        await app.sign_out()
    finally:
        await proxy.close()


async def test_refresh_finds_the_outcome_without_the_stream(backend: Any) -> None:
    """The fallback used after a reconnect or an expired countdown: ask the backend directly."""
    await backend.cashier("hawa", "9753")
    app = AppViewModel(token_store=MemoryTokenStore(), server=backend.url)
    app.session.set_field("username", "hawa")
    app.session.set_field("secret", "9753")
    assert await app.sign_in()  # no feed task on purpose: no events will arrive
    app.charge.set_amount_text("60")
    app.charge.set_phone(PAYS)
    payment = await app.charge_customer()
    assert payment is not None
    async with asyncio.timeout(15):
        while not payment.finished:
            await app.refresh_payment()
            await asyncio.sleep(0.1)
    assert payment.state is PaymentState.PAID and payment.receipt
    await app.sign_out()
