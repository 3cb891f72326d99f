"""The till QR decodes to the till and amount; takings export as CSV."""

from __future__ import annotations

import base64
import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import keqr
from app.viewmodels.owner import TakingsViewModel, today_in_nairobi
from app.viewmodels.till import TillViewModel


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
