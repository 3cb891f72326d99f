"""The till QR decodes to the till and amount; takings export as CSV."""

from __future__ import annotations

import base64
import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import flet as ft
import pytest

import keqr
from app.viewmodels.owner import TakingsViewModel, today_in_nairobi
from app.viewmodels.shell import AppViewModel
from app.viewmodels.till import TillViewModel
from app.views import ViewContext, till_qr_view
from backend_client.tokens import MemoryTokenStore


def test_qr_carries_the_till_and_the_amount() -> None:
    vm = TillViewModel()
    vm.name, vm.number = "Duka la Mama", "174379"
    assert vm.number_display == "174 379"
    vm.set_amount(150)
    decoded = keqr.decode(vm.payload or "")
    assert (decoded.number, decoded.amount) == ("174379", Decimal("150.00"))
    png = base64.b64decode(vm.png_base64 or "")
    assert png.startswith(b"\x89PNG")
    vm.set_amount(None)
    assert keqr.decode(vm.payload or "").amount is None


@pytest.mark.parametrize(
    ("number", "name", "named"),
    [("174379", "東京の店", "name"), ("12", "Duka", "till"), ("17437x", "Duka", "till")],
)
def test_a_till_keqr_refuses_is_explained_not_a_crash(number: str, name: str, named: str) -> None:
    vm = TillViewModel()
    vm.name, vm.number = name, number
    vm.set_amount(150)
    assert vm.payload is None and vm.png_base64 is None
    assert vm.qr_problem.startswith(f"{named}:")


class StandInPage:
    """Flet's page replaced (never our code): the view only asks it to update."""

    def update(self) -> None:
        return None


def _texts(control: object) -> list[str]:
    found, stack = [], [control]
    while stack:
        item = stack.pop()
        if isinstance(item, ft.Text) and item.value and item.visible is not False:
            found.append(str(item.value))
        for name in ("content", "controls"):
            child = getattr(item, name, None)
            stack.extend(child if isinstance(child, list) else [child] if child else [])
    return found


@pytest.mark.parametrize("language", ["en", "sw"])
def test_the_qr_screen_shows_why_there_is_no_code(language: str) -> None:
    app = AppViewModel(token_store=MemoryTokenStore(), language=language)
    app.till.name, app.till.number = "東京の店", "174379"
    app.till.set_amount(150)
    ctx = ViewContext(StandInPage(), app)  # type: ignore[arg-type]
    view = till_qr_view(ctx)
    sentence = app.t("qr.invalid", detail=app.till.qr_problem)
    assert sentence != app.till.qr_problem and sentence in _texts(view)
    app.till.name = "Duka la Mama"
    app.till.set_amount(200)  # the open screen follows the view-model
    assert app.till.qr_problem == "" and sentence not in _texts(view)
    ctx.dispose()


def test_no_till_means_no_qr() -> None:
    assert TillViewModel().png_base64 is None


def test_today_is_a_nairobi_day() -> None:
    assert today_in_nairobi(datetime(2026, 12, 4, 22, 0, tzinfo=UTC)) == date(2026, 12, 5)


def test_csv_export_has_every_hour_and_the_total() -> None:
    vm = TakingsViewModel(day=date(2026, 12, 4))
    vm.hourly[9] = 1500
    vm.total, vm.count = 1500, 2
    vm.by_cashier = [("2", "cashier", 1500, 2)]
    rows = list(csv.reader(io.StringIO(vm.csv_text())))
    assert rows[0] == ["date", "section", "key", "total_ksh", "count"]
    assert ["2026-12-04", "hour", "09:00", "1500", ""] in rows
    assert rows[-1] == ["2026-12-04", "total", "", "1500", "2"]
    assert len([r for r in rows if r[1] == "hour"]) == 24
