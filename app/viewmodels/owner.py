"""The owner's screens: a day's takings, transactions search and the team.

All amounts come from the backend already summed in whole shillings; the view-model only
chooses the day (a Nairobi day) and formats. CSV export is built here so it is testable.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from typing import Any

from app.formatting import NAIROBI, format_ksh
from app.phone import mask_msisdn
from app.viewmodels._fields import field, status_of
from app.viewmodels.errors import describe
from app.viewmodels.observable import Observable

__all__ = ["TakingsViewModel", "TeamViewModel", "TransactionsViewModel", "today_in_nairobi"]

_PIN = re.compile(r"^\d{4,6}$")
_USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,32}$")


def today_in_nairobi(now: datetime | None = None) -> date:
    """The shop's current day, whatever the device's time zone."""
    return (now or datetime.now(NAIROBI)).astimezone(NAIROBI).date()


class TakingsViewModel(Observable):
    """One Nairobi day's takings: total, count, by cashier, by channel, by hour."""

    def __init__(self, day: date | None = None) -> None:
        super().__init__()
        self.day = day or today_in_nairobi()
        self.total = 0
        self.count = 0
        # (key, label, total, count): the key names the till row ("0") and channels ("stk",
        # "till") so the view can translate them; labels are the backend's (usernames).
        self.by_cashier: list[tuple[str, str, int, int]] = []
        self.by_channel: list[tuple[str, str, int, int]] = []
        self.hourly: list[int] = [0] * 24
        self.loading = False
        self.error = ""

    @property
    def total_text(self) -> str:
        return format_ksh(self.total)

    async def load(self, client: Any, day: date | None = None) -> None:
        """Fetch `day` (default: the day already shown) from the backend."""
        self.day = day or self.day
        self.loading = True
        self.changed()
        try:
            takings = await client.takings(self.day)
        except Exception as exc:
            self.error = describe(exc)
        else:
            self.error = ""
            self.total = int(field(takings, "total", default=0))
            self.count = int(field(takings, "count", default=0))
            self.by_cashier = _rows(field(takings, "by_cashier", default=[]))
            self.by_channel = _rows(field(takings, "by_channel", default=[]))
            hourly = [0] * 24
            for hour in field(takings, "by_hour", default=[]):
                hourly[int(field(hour, "hour", default=0)) % 24] = int(
                    field(hour, "total", default=0)
                )
            self.hourly = hourly
        finally:
            self.loading = False
            self.changed()

    @property
    def csv_file_name(self) -> str:
        return f"duka-takings-{self.day.isoformat()}.csv"

    async def export_csv(self, client: Any) -> bytes:
        """The shown day's paid payments as CSV from the backend (the accountant's format).

        If the backend cannot be reached, the on-screen summary is exported instead and the
        reason is shown, so the owner still leaves with the figures.
        """
        try:
            text = await client.takings_csv(self.day, self.day)
        except Exception as exc:
            self.error = describe(exc)
            self.changed()
            text = self.csv_text()
        return text.encode("utf-8")

    def csv_text(self) -> str:
        """The shown day as CSV: one row per hour, then per cashier and per channel."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["date", "section", "key", "total_ksh", "count"])
        for hour, total in enumerate(self.hourly):
            writer.writerow([self.day.isoformat(), "hour", f"{hour:02d}:00", total, ""])
        for section, rows in (("cashier", self.by_cashier), ("channel", self.by_channel)):
            for _, label, total, count in rows:
                writer.writerow([self.day.isoformat(), section, label, total, count])
        writer.writerow([self.day.isoformat(), "total", "", self.total, self.count])
        return out.getvalue()


def _rows(items: Any) -> list[tuple[str, str, int, int]]:
    return [
        (
            str(field(item, "key", default="")),
            str(field(item, "label", default="")),
            int(field(item, "total", default=0)),
            int(field(item, "count", default=0)),
        )
        for item in items or []
    ]


class TransactionsViewModel(Observable):
    """Payments of a day, searchable by receipt or the phone's last digits."""

    def __init__(self) -> None:
        super().__init__()
        self.query = ""
        self.items: list[Any] = []
        self.error = ""

    async def search(self, client: Any, query: str | None = None) -> None:
        """Ask the backend for payments matching `query` (receipt or last digits)."""
        if query is not None:
            self.query = query.strip()
        try:
            result = await client.payments(q=self.query or None)
        except Exception as exc:
            self.error = describe(exc)
        else:
            self.error = ""
            self.items = list(field(result, "items", default=result) or [])
        self.changed()

    @staticmethod
    def describe_item(payment: Any) -> tuple[str, str, str]:
        """(amount, receipt or a `tx.status.*` catalogue key, phone) for one row."""
        amount = format_ksh(int(field(payment, "amount", default=0)))
        receipt = str(field(payment, "receipt", default="")) or f"tx.status.{status_of(payment)}"
        phone = str(field(payment, "phone", default=""))
        return amount, receipt, mask_msisdn(phone) if phone else ""


class TeamViewModel(Observable):
    """Cashiers: add one, set a PIN, disable or enable."""

    def __init__(self) -> None:
        super().__init__()
        self.cashiers: list[Any] = []
        self.error = ""
        self.notice = ""

    async def load(self, client: Any) -> None:
        try:
            self.cashiers = list(await client.cashiers())
            self.error = ""
        except Exception as exc:
            self.error = describe(exc)
        self.changed()

    async def add(self, client: Any, username: str, pin: str) -> bool:
        """Add a cashier; the form's problems come back as catalogue keys in `error`."""
        if not _USERNAME.match(username.strip()):
            self.error = "team.bad_username"
        elif not _PIN.match(pin):
            self.error = "team.bad_pin"
        else:
            try:
                await client.add_cashier(username.strip(), pin)
            except Exception as exc:
                self.error = describe(exc)
            else:
                self.notice, self.error = "team.saved", ""
                await self.load(client)
                return True
        self.changed()
        return False

    async def set_pin(self, client: Any, cashier_id: int, pin: str) -> bool:
        if not _PIN.match(pin):
            self.error = "team.bad_pin"
            self.changed()
            return False
        return await self._update(client, cashier_id, pin=pin)

    async def set_disabled(self, client: Any, cashier_id: int, disabled: bool) -> bool:
        return await self._update(client, cashier_id, disabled=disabled)

    async def _update(self, client: Any, cashier_id: int, **changes: Any) -> bool:
        try:
            await client.update_cashier(cashier_id, **changes)
        except Exception as exc:
            self.error = describe(exc)
            self.changed()
            return False
        self.notice, self.error = "team.saved", ""
        await self.load(client)
        return True
