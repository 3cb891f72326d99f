"""Recover refunds and payouts whose Result never came: ask Transaction Status, never resend.

A money-moving request gets `next_check_at` when it is acknowledged (or at once after a timeout
notice or a lost acknowledgement). When that time comes without a Result, a Transaction Status
query goes out (by the request's OriginatorConversationID, §7.4; a reversal whose acknowledgement
was lost is looked up by the original receipt: "Reversed" means it went through). The query's own
Result settles the request through `Requests.apply`, exactly like a late Result would. After
`money_max_checks` answers of "no such transaction", the request is given up as failed (a late
success Result still counts); after as many unanswered checks it is left `unknown` for the owner.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.errors import Unavailable
from backend.models import Payment
from backend.money_models import InitiatorRequest, Refund
from backend.services.money.codes import NOT_FOUND
from backend.services.money.requests import MOVES_MONEY, Outcome, Tool
from backend.services.periodic import PeriodicLoop

BATCH = 20
OPEN = ("sent", "unknown")
GAVE_UP = "gave_up"  # a success found later still counts (`Requests.apply`)
NOT_CONFIRMED = "M-PESA has not confirmed this yet. Check the M-PESA statement before trying again."
NO_RECORD = "M-PESA has no record of it, so no money moved. You can try again."


class Checks(Tool):
    """Background loop: Transaction Status for overdue refunds and payouts.

    It asks as the shortcode that made the request: B2C/B2B may come from the B2C shortcode.
    """

    settles = "check"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._loop = PeriodicLoop(
            "money-checks", self.check_due, lambda: self._settings.reconcile_tick_seconds
        )

    def start(self) -> None:
        self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def check_due(self) -> int:
        """Send a Transaction Status query for each overdue request; return how many."""
        async with self._db.read() as session:
            due = list(
                await session.scalars(
                    select(InitiatorRequest.id)
                    .where(
                        InitiatorRequest.state.in_(OPEN),
                        InitiatorRequest.purpose.in_(MOVES_MONEY),
                        InitiatorRequest.next_check_at <= self._clock.now(),
                    )
                    .order_by(InitiatorRequest.next_check_at)
                    .limit(BATCH)
                )
            )
        for index, request_id in enumerate(due):
            if index:
                await asyncio.sleep(self._settings.query_min_interval_seconds)
            await self._check(request_id)
        return len(due)

    async def _check(self, target_id: int) -> None:
        lookup: tuple[str | None, str | None] | None = None
        query_id, pays_out = 0, False
        async with self._db.write() as session:
            target = await session.get(InitiatorRequest, target_id)
            if target is None or target.state not in OPEN:
                return
            if target.checks >= self._settings.money_max_checks:
                target.next_check_at = None
                target.flagged = True
                give_up = True
            else:
                give_up = False
                target.checks += 1
                target.next_check_at = self._clock.now() + dt.timedelta(
                    seconds=self._settings.money_check_repeat_seconds
                )
                lookup = await self._lookup(session, target)
                pays_out = target.kind in ("b2c", "b2b")
                if lookup is None:
                    return  # nothing to look it up by: after the last check it is given up
                query = await self._requests.open(
                    session, kind="status", purpose="check", target_id=target.id
                )
                query_id = query.id
        if give_up:
            await self._requests.settle(
                target_id,
                Outcome(succeeded=False, code="unknown", desc="", reason=NOT_CONFIRMED),
                via_check=True,
            )
            return
        if lookup is not None:
            await self._ask(query_id, lookup, pays_out=pays_out)

    async def recheck(self, target_id: int) -> int | None:
        """Ask once more about a refund or payout given up on; return the query's id.

        None when there is nothing to look it up by. The answer settles the target through
        `apply` like any check: a success still counts, "no record" changes nothing.
        """
        async with self._db.write() as session:
            target = await session.get(InitiatorRequest, target_id)
            if target is None or target.state != GAVE_UP:
                return None
            lookup = await self._lookup(session, target)
            if lookup is None:
                return None
            query = await self._requests.open(
                session, kind="status", purpose="check", target_id=target.id
            )
            query_id, pays_out = query.id, target.kind in ("b2c", "b2b")
        await self._ask(query_id, lookup, pays_out=pays_out)
        return query_id

    @staticmethod
    def ruled_out(target: InitiatorRequest, query: InitiatorRequest) -> bool:
        """Whether a check's answer says the target did not happen (so far as M-PESA knows)."""
        if query.state == "failed":
            return query.result_code == NOT_FOUND
        if query.state != "done" or target.state == "done":
            return False
        # A reversal looked up by the sale's receipt: the sale is there but not "Reversed".
        return target.kind == "reversal" and not target.originator_id

    async def _ask(
        self, query_id: int, lookup: tuple[str | None, str | None], *, pays_out: bool
    ) -> None:
        receipt, conversation = lookup
        try:
            daraja = self._payout_daraja() if pays_out else self._daraja()
        except Unavailable:
            return
        await self._requests.send(
            query_id,
            lambda result_url, timeout_url: daraja.transaction_status(
                receipt=receipt,
                original_conversation_id=conversation,
                remarks="Duka check",
                result_url=result_url,
                timeout_url=timeout_url,
            ),
        )

    async def _lookup(
        self, session: AsyncSession, target: InitiatorRequest
    ) -> tuple[str | None, str | None] | None:
        """What to ask Transaction Status about: (receipt, OriginalConversationID)."""
        if target.originator_id:
            return None, target.originator_id
        if target.kind == "reversal" and target.refund_id is not None:
            refund = await session.get(Refund, target.refund_id)
            payment = await session.get(Payment, refund.payment_id) if refund else None
            if payment is not None and payment.receipt:
                return payment.receipt, None
        return None

    async def apply(
        self, session: AsyncSession, query: InitiatorRequest, outcome: Outcome, _late: bool
    ) -> None:
        """A Transaction Status answer arrived: settle the request it was checking."""
        if query.target_id is None:
            return
        target = await self._requests.locked(session, query.target_id)
        if target is None or target.state not in (*OPEN, GAVE_UP):
            return
        verdict = _verdict(target, outcome)
        if verdict is None:
            if outcome.code == NOT_FOUND and target.checks >= self._settings.money_max_checks:
                await self._requests.apply(
                    session,
                    target,
                    Outcome(succeeded=False, code=NOT_FOUND, desc=outcome.desc, reason=NO_RECORD),
                    via_check=True,
                )
            return
        await self._requests.apply(session, target, verdict, via_check=True)


def _verdict(target: InitiatorRequest, outcome: Outcome) -> Outcome | None:
    """Turn a Transaction Status answer into the target's outcome; None: not settled yet."""
    if not outcome.succeeded:
        return None
    params = outcome.parameters
    status = str(params.get("TransactionStatus") or "")
    receipt = str(params.get("ReceiptNo") or outcome.receipt or "") or None
    if target.kind == "reversal" and not target.originator_id:
        # Looked up by the original payment's receipt: only "Reversed" means the refund happened.
        if status.lower() != "reversed":
            return None
        return Outcome(succeeded=True, code="0", desc=status, receipt=None, parameters=params)
    if status and status.lower() not in ("completed", "reversed"):
        return None
    return Outcome(
        succeeded=True,
        code="0",
        desc=status or "Completed",
        receipt=receipt,
        recipient=str(params.get("CreditPartyName") or ""),
        parameters=params,
    )
