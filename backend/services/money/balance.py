"""The shortcode's balance: Account Balance, parsed into named accounts, cached briefly.

Daraja answers Account Balance only through a Result (and does not retry it, REFERENCE.md §7.5),
so a read sends the query and waits a bounded time for the Result. Concurrent readers share one
query, and an answer is reused for `balance_cache_seconds` so a busy owner screen cannot hammer
Daraja's spike arrest.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from backend.daraja import AccountBalance, CallbackParseError, InitiatorResult
from backend.models import User
from backend.schemas.money import BalanceAccountPublic, BalancePublic
from backend.services.events import OWNER_ONLY, record_event
from backend.services.money.audit import audit
from backend.services.money.codes import plain_reason
from backend.services.money.errors import MpesaNoAnswer, MpesaRefused
from backend.services.money.requests import Tool

PAYOUT_ACCOUNTS = ("Utility Account", "Merchant Account", "Working Account")


def _shillings(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


class Balance(Tool):
    """Ask M-PESA for the balance, at most once per cache period."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cached: BalancePublic | None = None
        self._lock = asyncio.Lock()

    def _fresh(self) -> BalancePublic | None:
        cached = self._cached
        max_age = dt.timedelta(seconds=self._settings.balance_cache_seconds)
        if cached is not None and self._clock.now() - cached.fetched_at < max_age:
            return cached.model_copy(update={"cached": True})
        return None

    async def read(self, *, user: User) -> BalancePublic:
        """The balance, from the cache when recent; raises when M-PESA refuses or is silent."""
        if (hit := self._fresh()) is not None:
            return hit
        async with self._lock:
            if (hit := self._fresh()) is not None:
                return hit
            balance = await self._ask(user)
            self._cached = balance
            return balance

    async def _ask(self, user: User) -> BalancePublic:
        daraja = self._daraja()
        async with self._db.write() as session:
            request = await self._requests.open(session, kind="balance", purpose="balance")
            request_id = request.id
        await self._requests.send(
            request_id,
            lambda result_url, timeout_url: daraja.account_balance(
                remarks="Duka balance", result_url=result_url, timeout_url=timeout_url
            ),
        )
        done = await self._requests.wait(request_id, self._settings.money_result_wait_seconds)
        if done is None or done.state not in ("done", "failed"):
            await self._audit(user, "no answer", "")
            raise MpesaNoAnswer("M-PESA has not sent the balance yet. Try again in a minute.")
        if done.state == "failed":
            reason = plain_reason(done.result_code, done.result_desc)
            await self._audit(user, "failed", reason)
            raise MpesaRefused(reason + ".")
        try:
            parsed = AccountBalance.from_result(
                InitiatorResult(
                    result_type=0,
                    result_code="0",
                    result_desc=done.result_desc,
                    originator_conversation_id=done.originator_id or "",
                    conversation_id=done.conversation_id or "",
                    transaction_id=None,
                    parameters=(done.result or {}).get("parameters", {}),
                )
            )
        except CallbackParseError as exc:
            await self._audit(user, "unreadable", exc.message)
            raise MpesaRefused("M-PESA sent a balance that could not be read.") from exc
        balance = self._public(parsed)
        await self._audit(user, "ok", f"available KSh {balance.available}", balance)
        return balance

    def _public(self, parsed: AccountBalance) -> BalancePublic:
        accounts = [
            BalanceAccountPublic(
                name=a.name,
                currency=a.currency,
                current=_shillings(a.current),
                available=_shillings(a.available),
                reserved=_shillings(a.reserved),
                uncleared=_shillings(a.uncleared),
            )
            for a in parsed.accounts
        ]
        payout_account = next(
            (a for name in PAYOUT_ACCOUNTS for a in accounts if a.name.lower() == name.lower()),
            None,
        )
        return BalancePublic(
            accounts=accounts,
            available=payout_account.available if payout_account else 0,
            fetched_at=self._clock.now(),
            cached=False,
        )

    async def _audit(
        self, user: User, outcome: str, detail: str, balance: BalancePublic | None = None
    ) -> None:
        async with self._db.write() as session:
            audit(
                session,
                self._clock,
                user=user,
                action="balance.read",
                subject="balance",
                outcome=outcome,
                detail=detail,
            )
            if balance is not None:
                await record_event(
                    session,
                    self._clock,
                    kind="balance.updated",
                    audience=OWNER_ONLY,
                    data={"balance": balance.model_dump(mode="json")},
                )
