"""The bottom bar fits one phone row: five tabs at most, the owner's other screens under More."""

from __future__ import annotations

import pytest

from app.i18n import Translator
from app.viewmodels.session import SignedInUser
from app.viewmodels.shell import NAV_SLOTS, AppViewModel
from backend_client.tokens import MemoryTokenStore


def signed_in_as(role: str) -> AppViewModel:
    app = AppViewModel(token_store=MemoryTokenStore())
    app.session.user = SignedInUser(username="someone", role=role)
    return app


@pytest.mark.parametrize("role", ["owner", "cashier"])
def test_every_screen_is_on_the_bar_or_under_more_once(role: str) -> None:
    app = signed_in_as(role)
    on_bar = len(app.nav_primary) + (1 if app.nav_more else 0)
    assert on_bar <= NAV_SLOTS
    assert sorted(app.nav_primary + app.nav_more) == sorted(app.routes)
    for language in ("en", "sw"):
        t = Translator(language)
        for route in (*app.routes, "more"):
            assert t(f"nav.{route}") != f"nav.{route}"


def test_the_owner_keeps_daily_screens_on_the_bar() -> None:
    app = signed_in_as("owner")
    assert app.nav_primary == ("takings", "charge", "feed", "transactions")
    assert {"payouts", "balance", "verify", "team", "settings", "qr"} == set(app.nav_more)
    app.route = "team"
    assert app.nav_selected == "more"
    app.route = "refund"
    assert app.nav_selected == "transactions"


def test_a_cashier_needs_no_more_tab() -> None:
    app = signed_in_as("cashier")
    assert app.nav_more == () and len(app.nav_primary) == len(app.routes)
    app.route = "payment"
    assert app.nav_selected == "charge"
