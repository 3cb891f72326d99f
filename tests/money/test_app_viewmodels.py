"""The owner's money screens through their view-models, against the real backend + simulator.

No screen: the same commands the views call, checked through the state the views read.
"""

from __future__ import annotations

from app.viewmodels.shell import CASHIER_ROUTES, OWNER_ROUTES, AppViewModel
from backend_client.tokens import MemoryTokenStore
from tests.money.helpers import paid_payment
from tests.support.backend_fixtures import OWNER, OWNER_PASSWORD, RunningBackend

FAST = {"poll_seconds": 0.05, "follow_seconds": 15.0}


async def signed_in(url: str, username: str, secret: str) -> AppViewModel:
    app = AppViewModel(token_store=MemoryTokenStore(), server=url)
    app.session.set_field("username", username)
    app.session.set_field("secret", secret)
    assert await app.sign_in(), app.session.error
    for vm in (app.money.refund, app.money.payouts):
        vm.poll_seconds, vm.follow_seconds = FAST["poll_seconds"], FAST["follow_seconds"]
    return app


async def test_refund_from_a_transaction_with_a_confirmation_step(shop: RunningBackend) -> None:
    sale = await paid_payment(shop.client(shop.owner_token), 450)
    app = await signed_in(shop.url, OWNER, OWNER_PASSWORD)
    try:
        await app.transactions.search(app.client, sale["receipt"])
        (payment,) = app.transactions.items
        app.open_refund(payment)
        vm = app.money.refund
        assert app.route == "refund" and vm.amount_text == "450"
        assert not vm.ask("451") and vm.error == "money.refund.too_much"
        assert vm.ask("450") and vm.state == "confirming" and vm.is_full
        vm.back()
        assert vm.state == "idle"  # said no: nothing sent
        assert await app.client.payment_refunds(sale["id"]) == []
        vm.ask("450")
        await vm.confirm(app.client)
        assert vm.state == "refunded", vm.error
        assert sale["receipt"] not in vm.outcome_text and "450" in vm.outcome_text
        await vm.confirm(app.client)  # a second tap after the end sends nothing
        assert len(await app.client.payment_refunds(sale["id"])) == 1
    finally:
        await app.sign_out()


async def test_payout_balance_and_verify_screens(shop: RunningBackend) -> None:
    sale = await paid_payment(shop.client(shop.owner_token), 900)
    app = await signed_in(shop.url, OWNER, OWNER_PASSWORD)
    try:
        payouts = app.money.payouts
        payouts.form.kind, payouts.form.receiver_kind = "b2b", "paybill"
        payouts.form.receiver, payouts.form.amount_text = "600000", "300"
        assert not await payouts.prepare(app.client)
        assert payouts.error == "money.payout.need_account"
        payouts.form.account = "INV 7"
        assert await payouts.prepare(app.client) and payouts.state == "confirming"
        assert payouts.draft.status == "awaiting_confirmation"
        await payouts.confirm(app.client)
        assert payouts.state == "paid", payouts.error
        assert payouts.used_today == 300 and payouts.items[0].status == "paid"

        await app.money.balance.load(app.client)
        assert app.money.balance.error == ""
        assert any(name == "Utility Account" for name, _ in app.money.balance.accounts)
        day = dict(app.money.balance.day)
        assert "900" in day["money.day.takings"] and "600" in day["money.day.net"]

        verify = app.money.verify
        await verify.check(app.client, "abc")
        assert verify.error == "money.verify.bad_code"
        await verify.check(app.client, sale["receipt"])
        assert verify.verdict == "genuine" and verify.good
    finally:
        await app.sign_out()


async def test_cashier_sees_verify_but_no_owner_money_screens(shop: RunningBackend) -> None:
    assert "verify" in CASHIER_ROUTES and "payouts" not in CASHIER_ROUTES
    assert {"payouts", "balance", "verify"} <= set(OWNER_ROUTES)
    await shop.cashier("wanjiru", "2468")
    app = await signed_in(shop.url, "wanjiru", "2468")
    try:
        app.navigate("payouts")
        app.navigate("refund")
        assert app.route == "charge"
        app.navigate("verify")
        assert app.route == "verify"
        await app.money.verify.check(app.client, "QQQ0QQQ0QQ")
        assert app.money.verify.verdict == "not_found"
        await app.money.balance.load(app.client)
        assert app.money.balance.error == "error.forbidden"
    finally:
        await app.sign_out()
