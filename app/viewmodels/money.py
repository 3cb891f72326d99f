"""The owner's money screens: refund a sale, the M-PESA balance, verify a code, payouts.

Each money-moving command has a confirmation step (`ask` → `confirm`) and ends in a clear final
state ("refunded", "paid", "failed" with M-PESA's reason in plain words). An Idempotency-Key is made
when the owner is asked to confirm, so a double tap or a resend after a lost answer refunds or pays
once. M-PESA answers these later, so after sending the view-model follows the outcome by asking
the backend every `poll_seconds` until it is final (the live feed carries the same news).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Any

from app.formatting import format_ksh
from app.viewmodels.errors import describe
from app.viewmodels.observable import Observable
from backend_client import models, new_idempotency_key
from backend_client.errors import ServerError

__all__ = [
    "BalanceViewModel",
    "MoneyViewModels",
    "PayoutsViewModel",
    "RefundViewModel",
    "VerifyViewModel",
    "money_error",
]

FINAL_REFUND = ("refunded", "failed", "unknown")
FINAL_PAYOUT = ("paid", "failed", "unknown", "cancelled")


def money_error(exc: BaseException) -> str:
    """Like `describe`, but keep the backend's sentence when M-PESA refused or was silent."""
    if isinstance(exc, ServerError) and exc.http_status in (502, 504):
        return exc.user_message
    return describe(exc)


def _whole(text: str) -> int | None:
    cleaned = (text or "").replace(",", "").replace(" ", "").strip()
    return int(cleaned) if cleaned.isdigit() else None


async def _follow(fetch: Any, final: tuple[str, ...], *, every: float, within: float) -> Any:
    """Ask `fetch()` until its status is final or `within` seconds pass; return the last."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    latest = await fetch()
    while latest.status not in final and loop.time() < deadline:
        await asyncio.sleep(every)
        with contextlib.suppress(Exception):  # offline for a moment: keep the last state
            latest = await fetch()
    return latest


class RefundViewModel(Observable):
    """Refund one payment, chosen from the transactions list: amount → confirm → outcome."""

    def __init__(self, *, poll_seconds: float = 1.0, follow_seconds: float = 120.0) -> None:
        super().__init__()
        self.poll_seconds, self.follow_seconds = poll_seconds, follow_seconds
        self.payment: Any = None
        self.amount_text = ""
        self.state = "idle"  # idle | confirming | sending | pending | refunded | failed | unknown
        self.error = ""
        self.refund: Any = None
        self._key = ""

    @property
    def ready(self) -> bool:
        return self.payment is not None

    def select(self, payment: Any) -> None:
        """Start a refund of `payment` (a PaymentPublic); the full amount is proposed."""
        self.payment, self.refund, self.error = payment, None, ""
        self.amount_text = str(int(payment.amount))
        self.state = "idle"
        self.changed()

    @property
    def amount(self) -> int | None:
        return _whole(self.amount_text)

    def ask(self, amount_text: str | None = None) -> bool:
        """Check the amount and ask the owner to confirm; False (with `error`) if it is wrong."""
        if amount_text is not None:
            self.amount_text = amount_text
        amount, paid = self.amount, int(self.payment.amount) if self.payment else 0
        if self.payment is None or getattr(self.payment, "status", "paid") != "paid":
            self.error = "money.refund.not_paid"
        elif int(getattr(self.payment, "refunded", 0) or 0) > 0:
            self.error = "money.refund.already"
        elif amount is None or amount < 1:
            self.error = "money.bad_amount"
        elif amount > paid:
            self.error = "money.refund.too_much"
        else:
            self.error, self.state, self._key = "", "confirming", new_idempotency_key()
        self.changed()
        return not self.error

    @property
    def is_full(self) -> bool:
        return self.payment is not None and self.amount == int(self.payment.amount)

    def back(self) -> None:
        """The owner said no at the confirmation step: nothing was sent."""
        if self.state == "confirming":
            self.state = "idle"
            self.changed()

    async def confirm(self, client: Any) -> None:
        """Send the refund once, then follow it until M-PESA's answer is in."""
        if self.state != "confirming":
            return
        self.state = "sending"
        self.changed()
        amount = None if self.is_full else self.amount
        try:
            self.refund = await client.refund_payment(
                self.payment.id, amount=amount, idempotency_key=self._key
            )
        except Exception as exc:
            self.state, self.error = "failed", money_error(exc)
            self.changed()
            return
        self._show(self.refund)
        if self.state == "pending":
            payment_id = self.payment.id
            refund_id = self.refund.id

            async def fetch() -> Any:
                items = await client.payment_refunds(payment_id)
                return next(r for r in items if r.id == refund_id)

            self._show(
                await _follow(
                    fetch, FINAL_REFUND, every=self.poll_seconds, within=self.follow_seconds
                )
            )

    def _show(self, refund: Any) -> None:
        self.refund = refund
        self.state = refund.status
        self.error = refund.reason if refund.status in ("failed", "unknown") else ""
        self.changed()

    @property
    def outcome_text(self) -> str:
        """One sentence for the final state (already in the owner's words)."""
        if self.refund is None:
            return ""
        amount = format_ksh(int(self.refund.amount))
        if self.state == "refunded":
            return f"{amount} · {self.refund.receipt or ''}".strip(" ·")
        return self.error


class BalanceViewModel(Observable):
    """The till's M-PESA accounts; the backend reuses a recent answer."""

    def __init__(self) -> None:
        super().__init__()
        self.accounts: list[tuple[str, str]] = []
        self.available = ""
        self.fetched_at: Any = None
        self.cached = False
        self.loading = False
        self.error = ""
        # Today's money in and out (Nairobi day): takings, refunds, payouts, net.
        self.day: list[tuple[str, str]] = []

    async def load(self, client: Any) -> None:
        self.loading, self.error = True, ""
        self.changed()
        try:
            balance = await client.balance()
        except Exception as exc:
            self.error = money_error(exc)
        else:
            self.accounts = [(a.name, format_ksh(int(a.available))) for a in balance.accounts]
            self.available = format_ksh(int(balance.available))
            self.fetched_at, self.cached = balance.fetched_at, balance.cached
        with contextlib.suppress(Exception):  # the balance is the point; the day is a bonus
            day = await client.money_day()
            self.day = [
                ("money.day.takings", format_ksh(int(day.takings))),
                ("money.day.refunds", format_ksh(int(day.refunds))),
                ("money.day.payouts", format_ksh(int(day.payouts))),
                ("money.day.net", format_ksh(int(day.net))),
            ]
        self.loading = False
        self.changed()


class VerifyViewModel(Observable):
    """Check an M-PESA code a customer shows (cashiers too): a verdict and one sentence."""

    def __init__(self) -> None:
        super().__init__()
        self.code = ""
        self.checking = False
        self.verdict = ""  # genuine | not_found | other_business | unknown
        self.message = ""
        self.error = ""

    async def check(self, client: Any, code: str | None = None) -> None:
        if code is not None:
            self.code = code.strip().upper()
        if len(self.code.replace(" ", "")) != 10:
            self.verdict, self.message, self.error = "", "", "money.verify.bad_code"
            self.changed()
            return
        self.checking, self.error, self.verdict, self.message = True, "", "", ""
        self.changed()
        try:
            answer = await client.verify_receipt(self.code)
        except Exception as exc:
            self.error = money_error(exc)
        else:
            self.verdict, self.message = answer.verdict, answer.message
        finally:
            self.checking = False
            self.changed()

    @property
    def good(self) -> bool:
        return self.verdict == "genuine"


@dataclass
class PayoutForm:
    """What the owner typed; `to_model` checks it before anything is sent."""

    kind: str = "b2c"  # b2c | b2b
    purpose: str = "salary"  # salary | business (B2C)
    phone: str = ""
    receiver: str = ""
    receiver_kind: str = "paybill"
    account: str = ""
    amount_text: str = ""
    remarks: str = "Duka payout"
    problems: list[str] = field(default_factory=list)

    def to_model(self) -> models.PayoutCreate | None:
        self.problems = []
        amount = _whole(self.amount_text)
        if amount is None or amount < 1:
            self.problems.append("money.bad_amount")
        if self.kind == "b2c" and len(self.phone.strip()) < 9:
            self.problems.append("money.payout.need_phone")
        if self.kind == "b2b" and not self.receiver.strip().isdigit():
            self.problems.append("money.payout.need_receiver")
        if self.kind == "b2b" and self.receiver_kind == "paybill" and not self.account.strip():
            self.problems.append("money.payout.need_account")
        if self.problems or amount is None:
            return None
        if self.kind == "b2c":
            return models.PayoutCreate(
                kind="b2c",
                purpose=self.purpose,  # type: ignore[arg-type]
                phone=self.phone.strip(),
                amount=amount,
                remarks=self.remarks.strip() or "Duka payout",
            )
        return models.PayoutCreate(
            kind="b2b",
            receiver=self.receiver.strip(),
            receiver_kind=self.receiver_kind,  # type: ignore[arg-type]
            account_reference=self.account.strip() or None,
            amount=amount,
            remarks=self.remarks.strip() or "Duka payout",
        )


class PayoutsViewModel(Observable):
    """Pay wages or a supplier: form → the owner confirms the draft → sent once → outcome."""

    def __init__(self, *, poll_seconds: float = 1.0, follow_seconds: float = 120.0) -> None:
        super().__init__()
        self.poll_seconds, self.follow_seconds = poll_seconds, follow_seconds
        self.form = PayoutForm()
        self.draft: Any = None
        self.state = "editing"  # editing | confirming | sending | pending | paid | failed | …
        self.error = ""
        self.items: list[Any] = []
        self.daily_limit = 0
        self.used_today = 0

    async def load(self, client: Any) -> None:
        try:
            page = await client.payouts(limit=20)
        except Exception as exc:
            self.error = money_error(exc)
        else:
            self.items, self.daily_limit, self.used_today = (
                list(page.items),
                page.daily_limit,
                page.used_today,
            )
        self.changed()

    async def prepare(self, client: Any) -> bool:
        """Record the payout as a draft and show it for confirmation (nothing is sent)."""
        body = self.form.to_model()
        if body is None:
            self.error = self.form.problems[0]
            self.changed()
            return False
        try:
            self.draft = await client.create_payout(body, idempotency_key=new_idempotency_key())
        except Exception as exc:
            self.error = money_error(exc)
            self.changed()
            return False
        self.state, self.error = "confirming", ""
        self.changed()
        return True

    async def cancel(self, client: Any) -> None:
        """Drop the draft: nothing is sent."""
        if self.draft is not None and self.state == "confirming":
            with contextlib.suppress(Exception):
                await client.cancel_payout(self.draft.id)
        self.draft, self.state = None, "editing"
        self.changed()

    async def confirm(self, client: Any) -> None:
        """The owner's go-ahead: send once, then follow until M-PESA answers."""
        if self.draft is None or self.state != "confirming":
            return
        self.state = "sending"
        self.changed()
        try:
            sent = await client.confirm_payout(self.draft.id)
        except Exception as exc:
            self.state, self.error = "confirming", money_error(exc)
            self.changed()
            return
        self._show(sent)
        draft_id = self.draft.id
        final = await _follow(
            lambda: client.payout(draft_id),
            FINAL_PAYOUT,
            every=self.poll_seconds,
            within=self.follow_seconds,
        )
        self._show(final)
        await self.load(client)

    def _show(self, payout: Any) -> None:
        self.draft, self.state = payout, payout.status
        self.error = payout.reason if payout.status in ("failed", "unknown") else ""
        self.changed()

    def new_payout(self) -> None:
        self.form, self.draft, self.state, self.error = PayoutForm(), None, "editing", ""
        self.changed()

    @property
    def limit_text(self) -> str:
        return f"{format_ksh(self.used_today)} / {format_ksh(self.daily_limit)}"


class MoneyViewModels:
    """The money screens' view-models, held by the app for one session."""

    def __init__(self) -> None:
        self.refund = RefundViewModel()
        self.balance = BalanceViewModel()
        self.verify = VerifyViewModel()
        self.payouts = PayoutsViewModel()
