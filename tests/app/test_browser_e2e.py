"""End to end in a real browser: simulator + backend + `python -m app --web` + headless chromium.

A cashier charges KSh 100 to the always-pays number and sees Paid with the receipt, then the
cancelling number and sees the plain reason; a customer pays the till through the simulator and it
shows on the live feed; the owner signs in and the day's takings include both. Screenshots of each
screen land in the git-ignored `screenshots/` folder (linked from the README).
"""

from __future__ import annotations

from typing import Any

import pytest

from app.formatting import format_ksh
from tests.app.browser_support import RECEIPT, AppPage, app_server, chromium, chromium_missing
from tests.app.test_flows_against_backend import till_backend
from tests.support.backend_fixtures import CANCELS, OWNER, OWNER_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_missing() is not None, reason=str(chromium_missing())),
]

TILL_PAYER, TILL_AMOUNT = "254711222333", 77


async def charge(app: AppPage, amount: str, phone: str) -> None:
    await app.fill("charge-amount", amount)
    await app.fill("charge-phone", phone)
    await app.click("charge-submit", expect="payment-status")


async def test_cashier_and_owner_in_the_browser(backend_factory: Any, sim_control: Any) -> None:
    from daraja_sim import TILL_NUMBER  # noqa: PLC0415

    backend = await till_backend(backend_factory)
    await backend.cashier("amina", "4821")
    with app_server(backend.url) as server:
        url = server.url
        async with chromium() as browser:
            cashier = await AppPage.open(browser, url)
            await cashier.screenshot("01-sign-in")
            await cashier.sign_in("amina", "4821", home="charge-amount")
            await cashier.screenshot("02-charge")

            # 1. Always-pays number: Paid with the M-PESA receipt.
            await charge(cashier, "100", "0700 000 000")
            await cashier.wait_text("payment-status", lambda t: t == "Paid")
            receipt = await cashier.wait_text("payment-receipt", lambda t: bool(RECEIPT.search(t)))
            await cashier.screenshot("03-payment-paid")

            # 2. Cancelling number: the plain reason and the next step.
            await cashier.click("payment-new-sale", expect="charge-amount")
            await charge(cashier, "100", CANCELS)
            await cashier.wait_text("payment-status", lambda t: t == "Not paid")
            reason = await cashier.text("payment-reason")
            assert reason == "Customer cancelled — ask them to try again"
            await cashier.screenshot("04-payment-cancelled")

            # 3. A customer pays the till: it streams onto the live feed.
            await cashier.click("nav-feed", expect="feed-list")
            await cashier.wait_text("feed-connection", lambda t: t == "Live")
            await sim_control.pay(TILL_NUMBER, TILL_PAYER, TILL_AMOUNT)
            await cashier.wait_text("feed-item-0", lambda t: format_ksh(TILL_AMOUNT) in t)
            assert RECEIPT.search(receipt) is not None
            await cashier.screenshot("05-live-feed")
            await cashier.click("nav-qr", expect="qr-till-number")
            await cashier.wait_text("qr-till-number", lambda t: t.replace(" ", "") == TILL_NUMBER)
            await cashier.screenshot("06-till-qr")

            # The session survives a reload (token in the browser's secure storage) until
            # signing out forgets it.
            await cashier.reload()
            await cashier.wait_for("nav-charge")
            await cashier.click("nav-settings", expect="settings-sign-out")
            await cashier.click("settings-sign-out", expect="signin-submit")
            await cashier.reload()
            await cashier.wait_for("signin-submit")
            assert not await cashier.page.locator('[flt-semantics-identifier="nav-charge"]').count()
            await cashier.close()

            # 4. The owner's takings include both payments.
            owner = await AppPage.open(browser, url)
            await owner.sign_in(OWNER, OWNER_PASSWORD, home="takings-total")
            expected = format_ksh(100 + TILL_AMOUNT)
            await owner.wait_text("takings-total", lambda t: t == expected)
            assert (await owner.text("takings-count")).startswith("2")
            await owner.screenshot("07-owner-takings")
            # Ten screens: the bottom bar keeps four and "More" lists the rest.
            await owner.click("nav-more", expect="nav-team")
            await owner.screenshot("07b-owner-more")
            await owner.click("nav-team", expect="team-member-amina")
            await owner.fill("team-username", "wanjiru")
            await owner.fill("team-pin", "8642")
            await owner.click("team-add", expect="team-member-wanjiru")
            await owner.screenshot("09-team")
            await owner.click("nav-transactions", expect="tx-item-0")
            await owner.screenshot("08-transactions")
            await owner.click("nav-settings", expect="settings-sign-out")
            await owner.screenshot("10-settings")

            # 5. Kiswahili and the dark theme come from the same catalogue and theme.
            await owner.click("settings-language-sw")
            await owner.wait_text("nav-takings", lambda t: "Mapato" in t)
            await owner.click("settings-theme-dark")
            await owner.click("nav-takings", expect="takings-count")
            await owner.wait_text("takings-count", lambda t: t.startswith("Malipo 2"))
            await owner.screenshot("11-owner-takings-sw-dark")
            await owner.close()
        # Nothing went wrong behind the screens either: no traceback in the app's own output.
        assert "Traceback" not in server.log(), server.log()[-4000:]
