"""The money screens in a real browser: the owner refunds a sale from Transactions, checks a
code, and pays wages, each through its confirmation step (simulator + backend + app + chromium).
Screenshots land in the git-ignored `screenshots/` folder."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.app.browser_support import AppPage, app_server, chromium, chromium_missing
from tests.money.helpers import paid_payment
from tests.support.backend_fixtures import OWNER, OWNER_PASSWORD, RunningBackend

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_missing() is not None, reason=str(chromium_missing())),
]


async def test_owner_refunds_verifies_and_pays_in_the_browser(
    money_backend: Callable[..., Any],
) -> None:
    shop: RunningBackend = await money_backend()
    sale = await paid_payment(shop.client(shop.owner_token), 320)
    with app_server(shop.url) as server:
        async with chromium() as browser:
            owner = await AppPage.open(browser, server.url)
            await owner.sign_in(OWNER, OWNER_PASSWORD, home="takings-total")

            await owner.click("nav-transactions")
            await owner.click("tx-item-0")
            await owner.click("refund-ask")
            await owner.click("refund-yes")
            await owner.wait_text("refund-status", lambda t: t == "Refunded")
            await owner.screenshot("money-01-refunded")

            await owner.click("nav-verify")
            await owner.fill("verify-code", sale["receipt"])
            await owner.click("verify-check")
            await owner.wait_text("verify-verdict", lambda t: t == "Genuine, paid to this till")
            await owner.screenshot("money-02-verified")

            await owner.click("nav-payouts")
            await owner.fill("payout-phone", "0711 222 333")
            await owner.fill("payout-amount", "250")
            await owner.click("payout-prepare")
            await owner.click("payout-yes")
            await owner.wait_text("payout-status", lambda t: t == "Paid")
            await owner.screenshot("money-03-payout-paid")

            await owner.click("nav-balance")
            await owner.wait_text("balance-available", lambda t: t.startswith("KSh"))
            await owner.screenshot("money-04-balance")
    refunds = (await shop.client(shop.owner_token).get("/v1/refunds")).json()["items"]
    assert [(r["status"], r["amount"]) for r in refunds] == [("refunded", 320)]
