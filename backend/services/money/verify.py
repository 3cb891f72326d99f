"""Is the M-PESA message a customer shows real, and was it paid to this till?

Our own ledger answers first: a receipt we stored was paid to us (unless flagged as paid to another
shortcode). Otherwise Transaction Status asks M-PESA, and its `CreditPartyName` ("600984 - NAME",
§7.4) says who received the money. Read-only: nothing about any payment changes, which is why
cashiers may use it too. Forged SMS texts are common; the code alone proves nothing until one of
these two sources vouches for it.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from backend.core.clock import NAIROBI
from backend.errors import BadInput
from backend.models import Payment, User
from backend.money_models import Refund
from backend.schemas.money import VerifyPublic
from backend.services.money.audit import audit
from backend.services.money.codes import NOT_FOUND, plain_reason
from backend.services.money.refunds import ACTIVE
from backend.services.money.requests import Tool
from backend.services.money.views import masked_party

_RECEIPT = re.compile(r"[A-Z0-9]{10}")


def normalise_receipt(text: str) -> str:
    code = re.sub(r"\s+", "", text or "").upper()
    if not _RECEIPT.fullmatch(code):
        raise BadInput(
            "Enter the 10-character M-PESA code from the message, like SGR7ABC123.",
            code="invalid_receipt",
        )
    return code


class Verifier(Tool):
    """Answer "genuine, paid to this till", "not found" or "paid to another business"."""

    @property
    def _ours(self) -> set[str]:
        codes = {self._settings.shortcode, self._settings.till_number, self._settings.b2c_shortcode}
        return {c.strip() for c in codes if c.strip()}

    async def verify(self, *, user: User, receipt: str) -> VerifyPublic:
        code = normalise_receipt(receipt)
        answer = await self._from_ledger(code)
        if answer is None:
            answer = await self._from_mpesa(code)
        async with self._db.write() as session:
            audit(
                session,
                self._clock,
                user=user,
                action="verify",
                subject=f"receipt:{code}",
                outcome=answer.verdict,
                detail=answer.message,
            )
        return answer

    async def _from_ledger(self, code: str) -> VerifyPublic | None:
        async with self._db.read() as session:
            payment = await session.scalar(select(Payment).where(Payment.receipt == code))
            if payment is None:
                return None
            refunded = (
                await session.scalar(
                    select(Refund.id).where(
                        Refund.payment_id == payment.id, Refund.status.in_(ACTIVE)
                    )
                )
                is not None
            )
        if payment.flagged and "not ours" in payment.flag_reason:
            return VerifyPublic(
                receipt=code,
                verdict="other_business",
                message="This code was paid to another business, not to this till.",
                source="ledger",
                amount=payment.amount,
                payment_id=payment.id,
            )
        if payment.status != "paid":
            return None  # held back for the owner: let M-PESA say what happened
        when = payment.paid_at or payment.created_at
        used = payment.channel == "stk" or refunded
        message = (
            f"Genuine: KSh {payment.amount:,} paid to this till at {_local(when)}."
            + (" It was refunded." if refunded else "")
            + (" Already recorded against a sale." if used and not refunded else "")
        )
        return VerifyPublic(
            receipt=code,
            verdict="genuine",
            message=message,
            source="ledger",
            amount=payment.amount,
            paid_at=when,
            payment_id=payment.id,
            already_used=used,
            refunded=refunded,
        )

    async def _from_mpesa(self, code: str) -> VerifyPublic:
        daraja = self._daraja()
        async with self._db.write() as session:
            request = await self._requests.open(
                session, kind="status", purpose="verify", receipt=code
            )
            request_id = request.id
        await self._requests.send(
            request_id,
            lambda result_url, timeout_url: daraja.transaction_status(
                receipt=code, remarks="Duka verify", result_url=result_url, timeout_url=timeout_url
            ),
        )
        done = await self._requests.wait(request_id, self._settings.money_result_wait_seconds)
        if done is None or done.state not in ("done", "failed"):
            return self._unknown(code, "M-PESA has not answered yet. Try again in a minute.")
        if done.state == "failed":
            if done.result_code == NOT_FOUND:
                return VerifyPublic(
                    receipt=code,
                    verdict="not_found",
                    message="Not found: M-PESA has no transaction with this code.",
                    source="mpesa",
                )
            return self._unknown(code, plain_reason(done.result_code, done.result_desc) + ".")
        params = (done.result or {}).get("parameters", {})
        credit = str(params.get("CreditPartyName") or "")
        number, _, name = credit.partition(" - ")
        amount = _whole(params.get("Amount"))
        status = str(params.get("TransactionStatus") or "")
        if number.strip() not in self._ours:
            return VerifyPublic(
                receipt=code,
                verdict="other_business",
                message=f"Paid to another business ({name.strip() or number.strip()}), "
                "not to this till.",
                source="mpesa",
                amount=amount,
                paid_to=masked_party(credit),
            )
        reversed_ = status.lower() == "reversed"
        return VerifyPublic(
            receipt=code,
            verdict="genuine",
            message=f"Genuine: KSh {amount or 0:,} paid to this till"
            + (", but it was reversed." if reversed_ else ". Not yet recorded here."),
            source="mpesa",
            amount=amount,
            already_used=False,
            refunded=reversed_,
        )

    def _unknown(self, code: str, message: str) -> VerifyPublic:
        return VerifyPublic(receipt=code, verdict="unknown", message=message, source="none")


def _whole(value: object) -> int | None:
    try:
        return int(float(str(value)))
    except (TypeError, ValueError):
        return None


def _local(moment: dt.datetime) -> str:
    return moment.astimezone(NAIROBI).strftime("%d %b %Y %H:%M")
