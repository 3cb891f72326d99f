"""The owner's money tools as typed methods, mixed into `DukaClient`.

Refunds and payouts move money, so their POSTs carry an Idempotency-Key (made here unless given)
and a resend after a lost answer reuses it: the backend answers with the first refund or payout
and never sends twice. Outcomes arrive later on `DukaClient.events()` as `refund.*`/`payout.*`
events whose `data` holds the refund or payout.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

from backend_client import models
from backend_client._http import HttpCore
from backend_client._http import decode_model as _decode
from backend_client.errors import ServerError

__all__ = ["MoneyMethods"]

GATEWAY_STATUSES = (502, 504)  # M-PESA refused, or has not answered yet: the backend says why


@contextlib.asynccontextmanager
async def _mpesa_words() -> AsyncIterator[None]:
    """Show the backend's own sentence when M-PESA refused or was silent (502/504)."""
    try:
        yield
    except ServerError as exc:
        body = exc.body
        if exc.http_status in GATEWAY_STATUSES and isinstance(body, dict) and body.get("detail"):
            raise ServerError(
                str(body["detail"]),
                code=exc.code,
                http_status=exc.http_status,
                request_id=exc.request_id,
                body=body,
            ) from exc
        raise


class MoneyMethods:
    """Refunds, balance, verify a code, payouts, audit and the money day (owner; verify: all)."""

    _http: HttpCore
    _payment_attempts: int

    async def _post_once(self, path: str, body: dict[str, Any], key: str) -> Any:
        return await self._http.post_idempotent(
            path, body, key=key, attempts=self._payment_attempts
        )

    async def refund_payment(
        self, payment_id: int, *, amount: int | None = None, idempotency_key: str
    ) -> models.RefundPublic:
        """Refund a paid payment: all of it (amount None) or part; the outcome comes as an event.

        Make `idempotency_key` once per refund intent (e.g. when the confirm dialog opens).
        """
        body = models.RefundCreate(amount=amount).to_json()
        data = await self._post_once(
            f"/v1/payments/{int(payment_id)}/refund", body, idempotency_key
        )
        return _decode(models.RefundPublic.from_json, data)

    async def payment_refunds(self, payment_id: int) -> list[models.RefundPublic]:
        """The refunds of one payment, oldest first."""
        data = await self._http.json("GET", f"/v1/payments/{int(payment_id)}/refunds")
        return _decode(models.RefundList.from_json, data).items

    async def refunds(self, *, limit: int | None = None) -> list[models.RefundPublic]:
        """Recent refunds, newest first."""
        data = await self._http.json("GET", "/v1/refunds", params={"limit": limit})
        return _decode(models.RefundList.from_json, data).items

    async def balance(self) -> models.BalancePublic:
        """The shop's M-PESA balances (the backend reuses a recent answer for a short while)."""
        async with _mpesa_words():
            data = await self._http.json("GET", "/v1/balance")
        return _decode(models.BalancePublic.from_json, data)

    async def verify_receipt(self, receipt: str) -> models.VerifyPublic:
        """Check an M-PESA code a customer shows (cashiers may too; changes nothing)."""
        code = quote(receipt.strip(), safe="")
        data = await self._http.json("GET", f"/v1/verify/{code}")
        return _decode(models.VerifyPublic.from_json, data)

    async def create_payout(
        self, payout: models.PayoutCreate, *, idempotency_key: str
    ) -> models.PayoutPublic:
        """Record a payout awaiting confirmation; nothing is sent yet."""
        data = await self._post_once("/v1/payouts", payout.to_json(), idempotency_key)
        return _decode(models.PayoutPublic.from_json, data)

    async def confirm_payout(self, payout_id: int) -> models.PayoutPublic:
        """Confirm and send a payout; confirming again sends nothing more."""
        data = await self._http.json("POST", f"/v1/payouts/{int(payout_id)}/confirm")
        return _decode(models.PayoutPublic.from_json, data)

    async def cancel_payout(self, payout_id: int) -> models.PayoutPublic:
        """Drop a payout that was not confirmed."""
        data = await self._http.json("POST", f"/v1/payouts/{int(payout_id)}/cancel")
        return _decode(models.PayoutPublic.from_json, data)

    async def payout(self, payout_id: int) -> models.PayoutPublic:
        """One payout as it is now."""
        data = await self._http.json("GET", f"/v1/payouts/{int(payout_id)}")
        return _decode(models.PayoutPublic.from_json, data)

    async def payouts(self, *, limit: int | None = None) -> models.PayoutList:
        """Recent payouts, newest first, with today's limit and how much of it is used."""
        data = await self._http.json("GET", "/v1/payouts", params={"limit": limit})
        return _decode(models.PayoutList.from_json, data)

    async def audit(
        self, *, action: str | None = None, limit: int | None = None
    ) -> list[models.AuditEntryPublic]:
        """Who did what with the shop's money, newest first (`action`: a prefix like "refund")."""
        params = {"action": action, "limit": limit}
        data = await self._http.json("GET", "/v1/audit", params=params)
        return _decode(models.AuditList.from_json, data).items

    async def money_day(self, date: dt.date | None = None) -> models.MoneyDay:
        """A Nairobi day's takings, refunds and payouts (today when `date` is None)."""
        params = {"date": date.isoformat() if date else None}
        data = await self._http.json("GET", "/v1/money/day", params=params)
        return _decode(models.MoneyDay.from_json, data)
