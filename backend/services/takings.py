"""A day's takings from the rollup table, and a CSV of paid payments for the books.

The rollup (see models.Takings) is updated in the transaction that marks a payment paid, so these
queries read at most 24 × cashiers × channels rows, however many payments the shop has.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict

from sqlalchemy import select

from backend.core.clock import NAIROBI
from backend.core.db import Database
from backend.models import Payment, Takings, User
from backend.schemas.takings import TakingsBreakdown, TakingsDay, TakingsHour

CHANNEL_LABELS = {"stk": "STK Push", "till": "Paid to till / QR"}
TILL_LABEL = "Till (customer paid directly)"
MAX_CSV_DAYS = 366


class TakingsReport:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def day(self, day: dt.date) -> TakingsDay:
        """Total, count, and splits by cashier, channel and hour for one Nairobi day."""
        async with self._db.read() as session:
            rows = (
                await session.execute(
                    select(
                        Takings.hour,
                        Takings.cashier_id,
                        Takings.channel,
                        Takings.total,
                        Takings.count,
                    ).where(Takings.day == day)
                )
            ).all()
            names = {
                uid: name for uid, name in await session.execute(select(User.id, User.username))
            }
        by_cashier: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        by_channel: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        by_hour: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for hour, cashier, channel, total, count in rows:
            for bucket in (by_cashier[cashier], by_channel[channel], by_hour[hour]):
                bucket[0] += total
                bucket[1] += count
        return TakingsDay(
            date=day,
            total=sum(v[0] for v in by_channel.values()),
            count=sum(v[1] for v in by_channel.values()),
            by_cashier=[
                TakingsBreakdown(
                    key=str(cid),
                    label=names.get(cid, TILL_LABEL) if cid else TILL_LABEL,
                    total=t,
                    count=c,
                )
                for cid, (t, c) in sorted(by_cashier.items())
            ],
            by_channel=[
                TakingsBreakdown(key=ch, label=CHANNEL_LABELS.get(ch, ch), total=t, count=c)
                for ch, (t, c) in sorted(by_channel.items())
            ],
            by_hour=[
                TakingsHour(hour=h, total=t, count=c) for h, (t, c) in sorted(by_hour.items())
            ],
        )

    async def csv(self, start: dt.date, end: dt.date) -> str:
        """Every paid payment from `start` to `end` (Nairobi days, inclusive), oldest first."""
        async with self._db.read() as session:
            names = {
                uid: name for uid, name in await session.execute(select(User.id, User.username))
            }
            payments = await session.scalars(
                select(Payment)
                .where(Payment.status == "paid", Payment.day >= start, Payment.day <= end)
                .order_by(Payment.paid_at, Payment.id)
            )
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(
                ["date", "time", "receipt", "amount", "channel", "cashier", "phone", "reference"]
            )
            for p in payments:
                local = p.paid_at.astimezone(NAIROBI) if p.paid_at else None
                writer.writerow(
                    [
                        local.date().isoformat() if local else "",
                        local.strftime("%H:%M:%S") if local else "",
                        p.receipt or "",
                        p.amount,
                        CHANNEL_LABELS.get(p.channel, p.channel),
                        names.get(p.requested_by or 0, "till"),
                        p.phone_masked,
                        _safe_cell(p.reference),
                    ]
                )
        return out.getvalue()


def _safe_cell(text: str) -> str:
    """Keep spreadsheet apps from running a reference as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
