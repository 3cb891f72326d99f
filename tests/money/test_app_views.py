"""The money screens build for every state their view-models can be in (no browser needed).

A stand-in page records what the view asks of Flet: it is Flet's page that is replaced, never
our own code. Commands a view would start are closed unstarted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import flet as ft
import pytest

from app.viewmodels.shell import AppViewModel
from app.views import SCREENS, ViewContext
from backend_client import models
from backend_client.tokens import MemoryTokenStore


class StandInPage:
    def __init__(self) -> None:
        self.tasks: list[str] = []

    def update(self) -> None:
        return None

    def run_task(self, command: Any, *args: Any) -> None:
        self.tasks.append(command.__name__)


NOW = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)


def _payment() -> models.PaymentPublic:
    return models.PaymentPublic(
        id=7,
        channel="stk",
        status="paid",
        amount=450,
        phone="2547••••000",
        receipt="SLK1ABC2DE",
        created_at=NOW,
        updated_at=NOW,
        paid_at=NOW,
    )


def _texts(control: Any) -> list[str]:
    """Every text shown; also checks no Semantics wraps a hidden control (Flutter shows a red
    "Semantics.content must be provided and visible" box instead)."""
    found: list[str] = []
    stack = [control]
    while stack:
        item = stack.pop()
        if isinstance(item, ft.Semantics):
            assert item.content is not None and item.content.visible is not False, item
        if isinstance(item, ft.Text) and item.value:
            found.append(str(item.value))
        for name in ("content", "controls"):
            child = getattr(item, name, None)
            if isinstance(child, list):
                stack.extend(child)
            elif child is not None:
                stack.append(child)
    return found


@pytest.mark.parametrize("language", ["en", "sw"])
def test_every_money_screen_builds_in_each_state(language: str) -> None:
    app = AppViewModel(token_store=MemoryTokenStore(), language=language)
    app.session.client = "a client the stand-in page never calls"  # type: ignore[assignment]
    page = StandInPage()
    ctx = ViewContext(page, app)  # type: ignore[arg-type]
    refund = app.money.refund
    refund.select(_payment())
    for state in ("idle", "confirming", "sending", "pending", "refunded", "failed", "unknown"):
        refund.state = state
        texts = _texts(SCREENS["refund"](ctx))
        assert any("450" in t for t in texts)
        assert not any(t.startswith("money.") for t in texts), texts
    payouts = app.money.payouts
    for kind in ("b2c", "b2b"):
        payouts.form.kind = kind
        for state in ("editing", "confirming", "pending", "paid", "failed", "cancelled"):
            payouts.state = state
            texts = _texts(SCREENS["payouts"](ctx))
            assert not any(t.startswith("money.") for t in texts), texts
    verify = app.money.verify
    for verdict in ("genuine", "not_found", "other_business", "unknown"):
        verify.verdict, verify.message = verdict, "from the backend"
        texts = _texts(SCREENS["verify"](ctx))
        assert "from the backend" in texts
        assert not any(t.startswith("money.") for t in texts), texts
    assert _texts(SCREENS["balance"](ctx))
    assert {"load"} <= set(page.tasks)
    ctx.dispose()


def _shown(control: Any) -> list[Any]:
    """Every control on screen: hidden ones and everything inside them are skipped."""
    found: list[Any] = []
    stack = [control]
    while stack:
        item = stack.pop()
        if getattr(item, "visible", True) is False:
            continue
        found.append(item)
        for name in ("content", "controls"):
            child = getattr(item, name, None)
            if isinstance(child, list):
                stack.extend(child)
            elif child is not None:
                stack.append(child)
    return found


def test_a_paid_payout_reads_cleanly_with_no_empty_lines() -> None:
    app = AppViewModel(token_store=MemoryTokenStore(), language="en")
    app.session.client = "a client the stand-in page never calls"  # type: ignore[assignment]
    ctx = ViewContext(StandInPage(), app)  # type: ignore[arg-type]
    payouts = app.money.payouts
    payouts.state = "paid"
    payouts.draft = models.PayoutPublic(
        id=3,
        kind="b2c",
        command="SalaryPayment",
        amount=250,
        to="2547••••333",
        status="paid",
        receipt="UL4YH7BNZP",
        created_at=NOW,
        completed_at=NOW,
    )
    shown = _shown(SCREENS["payouts"](ctx))
    texts = [str(c.value) for c in shown if isinstance(c, ft.Text)]
    ids = {c.identifier for c in shown if isinstance(c, ft.Semantics)}
    assert "" not in texts  # an empty line is a gap under "Paid"
    for expected in ("Paid", "KSh 250", "To 07** *** 333", "M-PESA receipt UL4YH7BNZP", "At 15:00"):
        assert expected in texts, texts
    assert "payout-another" in ids
    assert "payout-message" not in ids
    ctx.dispose()
