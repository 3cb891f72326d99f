"""Track every initiator request from the moment it is written until its Result is applied, once.

The row is written before Daraja is called, so nothing can be lost between the two. Results and
timeout notices are stored as received (`callbacks` table) and matched by OriginatorConversationID;
a Result that beats our own acknowledgement is kept "unmatched" and applied as soon as the
acknowledgement is stored. A timeout notice is not a failure: Daraja may still have moved the
money (REFERENCE.md §7.2), so the request goes to Transaction Status instead. Applying a Result to
a request already settled changes nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.clock import Clock
from backend.core.config import Settings
from backend.core.db import Database
from backend.daraja import (
    CallbackParseError,
    ConnectFailed,
    DarajaClient,
    DarajaError,
    InitiatorAck,
    InitiatorResult,
    OutcomeUnknown,
    parse_result,
)
from backend.models import CallbackRecord
from backend.money_models import InitiatorRequest
from backend.services.callbacks import callback_record
from backend.services.events import EventHub
from backend.services.money.codes import plain_reason

log = logging.getLogger(__name__)
FINAL = ("done", "failed")
WAITING = ("sending", "sent")
MOVES_MONEY = ("refund", "payout")


@dataclass(frozen=True)
class Outcome:
    """How one request ended, from its Result, a refusal, or a Transaction Status answer."""

    succeeded: bool
    code: str | None
    desc: str
    receipt: str | None = None
    recipient: str = ""
    parameters: dict[str, Any] = field(default_factory=dict)
    reason: str = ""

    @property
    def plain(self) -> str:
        return self.reason or plain_reason(self.code, self.desc)

    @classmethod
    def from_result(cls, result: InitiatorResult) -> Outcome:
        params = dict(result.parameters)
        receipt = params.get("TransactionReceipt") or result.transaction_id
        recipient = params.get("ReceiverPartyPublicName") or params.get("CreditPartyPublicName")
        return cls(
            succeeded=result.succeeded,
            code=result.result_code,
            desc=result.result_desc,
            receipt=str(receipt) if result.succeeded and receipt else None,
            recipient=str(recipient or ""),
            parameters=params,
        )


# (session, the request, how it ended, whether it had been given up on) -> None
Apply = Callable[[AsyncSession, InitiatorRequest, Outcome, bool], Awaitable[None]]
Send = Callable[[str, str], Awaitable[InitiatorAck]]  # (result_url, timeout_url) -> ack


class Requests:
    """Open, send, match and settle initiator requests; wake whoever waits for one."""

    def __init__(
        self,
        db: Database,
        hub: EventHub,
        clock: Clock,
        settings: Settings,
        callback_url: Callable[[str], str],
    ) -> None:
        self._db = db
        self._hub = hub
        self._clock = clock
        self._settings = settings
        self._callback_url = callback_url
        self.handlers: dict[str, Apply] = {}
        self._settled: dict[int, asyncio.Event] = {}

    async def open(
        self, session: AsyncSession, *, kind: str, purpose: str, **links: Any
    ) -> InitiatorRequest:
        """Add a request row in the caller's transaction and give it its id.

        B2C gets our own OriginatorConversationID (v3, §7.3), so its Result matches even when
        the acknowledgement is lost; the others get Daraja's from the acknowledgement.
        """
        now = self._clock.now()
        request = InitiatorRequest(
            kind=kind,
            purpose=purpose,
            originator_id=f"duka-{uuid.uuid4().hex}" if kind == "b2c" else None,
            state="sending",
            result_desc="",
            flagged=False,
            created_at=now,
            updated_at=now,
            checks=0,
            **links,
        )
        session.add(request)
        await session.flush()
        return request

    async def originator(self, request_id: int) -> str:
        """The OriginatorConversationID we gave a request ("" when Daraja gives it)."""
        async with self._db.read() as session:
            request = await session.get(InitiatorRequest, request_id)
            return request.originator_id if request and request.originator_id else ""

    async def send(self, request_id: int, call: Send) -> None:
        """Call Daraja for a request already stored; record the ack or why there is none."""
        try:
            ack = await call(self._callback_url("result"), self._callback_url("timeout"))
        except OutcomeUnknown:
            # Sent, no answer: it may have been acted on. Never resend; ask Transaction Status.
            await self._lost(request_id)
            return
        except ConnectFailed as exc:
            await self.settle(request_id, _refused(exc, "Could not reach M-PESA; nothing was sent"))
            return
        except DarajaError as exc:
            await self.settle(request_id, _refused(exc))
            return
        async with self._db.write() as session:
            # Locked: a B2C Result (matched by our own id) may be settling this row right now.
            request = await self.locked(session, request_id)
            if request is None:
                return
            request.originator_id = request.originator_id or ack.originator_conversation_id
            request.conversation_id = ack.conversation_id or None
            if request.state == "sending":
                request.state = "sent"
                request.updated_at = self._clock.now()
                request.next_check_at = self._first_check(request)
        await self._apply_unmatched(request.originator_id or "")

    def _first_check(self, request: InitiatorRequest) -> dt.datetime | None:
        if request.purpose not in MOVES_MONEY:
            return None
        return self._clock.now() + dt.timedelta(seconds=self._settings.money_check_after_seconds)

    async def _lost(self, request_id: int) -> None:
        async with self._db.write() as session:
            request = await self.locked(session, request_id)
            if request is None or request.state not in WAITING:
                return
            request.state = "unknown"
            request.updated_at = self._clock.now()
            # M-PESA may still be working on it: give its Result the usual time to arrive.
            request.next_check_at = self._first_check(request)
        self._wake(request_id)

    async def settle(self, request_id: int, outcome: Outcome, *, via_check: bool = False) -> bool:
        """Apply an outcome to a request and its refund/payout; False if it was already settled."""
        async with self._db.write() as session:
            request = await self.locked(session, request_id)
            if request is None:
                return False
            changed = await self.apply(session, request, outcome, via_check=via_check)
        self._hub.poke()
        self._wake(request_id)
        return changed

    async def apply(
        self,
        session: AsyncSession,
        request: InitiatorRequest,
        outcome: Outcome,
        *,
        via_check: bool = False,
    ) -> bool:
        """Settle `request` in the caller's transaction. Is idempotent."""
        late = request.state == "gave_up"
        if request.state in FINAL or (late and not outcome.succeeded):
            return False
        # A check's "failed" is a conclusion, not M-PESA's word: a late success Result still counts.
        request.state = "done" if outcome.succeeded else ("gave_up" if via_check else "failed")
        request.result_code = (outcome.code or "")[:16] or None
        request.result_desc = outcome.desc[:255]
        request.result = {"parameters": outcome.parameters, "via_check": via_check}
        request.receipt = request.receipt or outcome.receipt
        request.updated_at = self._clock.now()
        request.next_check_at = None
        handler = self.handlers.get(request.purpose)
        if handler is not None:
            await handler(session, request, outcome, late)
        return True

    async def receive(self, kind: str, raw: bytes, remote_ip: str) -> None:
        """Store a Result (kind "result") or timeout notice ("timeout") and apply it."""
        record = callback_record(self._clock, kind, raw, remote_ip)
        try:
            result = parse_result(raw)
        except CallbackParseError as exc:
            record.outcome, record.flagged, record.note = "unreadable", True, exc.message[:255]
            async with self._db.write() as session:
                session.add(record)
            return
        record.match_key = (result.originator_conversation_id or result.conversation_id)[:64]
        async with self._db.write() as session:
            session.add(record)
            request_id = await self._apply_record(session, record, kind, result)
        if request_id is not None:
            self._hub.poke()
            self._wake(request_id)

    async def _apply_record(
        self, session: AsyncSession, record: CallbackRecord, kind: str, result: InitiatorResult
    ) -> int | None:
        request = await self._find(session, result)
        if request is None:
            record.outcome, record.note = "unmatched", "No request with this ID (yet)"
            return None
        if kind == "timeout":
            record.outcome = "timeout"
            if request.state in WAITING:
                request.state = "unknown"
                request.updated_at = self._clock.now()
                if request.purpose in MOVES_MONEY:
                    request.next_check_at = self._clock.now()
                else:
                    request.result_desc = "M-PESA timed out before answering"
            return request.id
        changed = await self.apply(session, request, Outcome.from_result(result))
        record.outcome = "applied" if changed else "duplicate"
        return request.id

    async def _find(self, session: AsyncSession, result: InitiatorResult) -> Any:
        """The request a Result answers: by OriginatorConversationID, else ConversationID."""
        keys = (
            (InitiatorRequest.originator_id, result.originator_conversation_id),
            (InitiatorRequest.conversation_id, result.conversation_id),
        )
        for column, value in keys:
            if not value:
                continue
            found = await session.scalar(select(InitiatorRequest.id).where(column == value))
            if found is not None:
                return await self.locked(session, found)
        return None

    async def _apply_unmatched(self, originator_id: str) -> None:
        if not originator_id:
            return
        woken: list[int] = []
        async with self._db.write() as session:
            records = list(
                await session.scalars(
                    select(CallbackRecord).where(
                        CallbackRecord.match_key == originator_id[:64],
                        CallbackRecord.outcome == "unmatched",
                    )
                )
            )
            for record in sorted(records, key=lambda r: r.id):
                found = await self._apply_record(
                    session, record, record.kind, parse_result(record.body)
                )
                if found is not None:
                    woken.append(found)
        for request_id in woken:
            self._hub.poke()
            self._wake(request_id)

    async def locked(self, session: AsyncSession, request_id: int) -> InitiatorRequest | None:
        return await session.scalar(
            select(InitiatorRequest)
            .where(InitiatorRequest.id == request_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )

    async def wait(self, request_id: int, within: float) -> InitiatorRequest | None:
        """Wait up to `within` seconds for a request to leave sending/sent; return it as it is."""
        event = self._settled.setdefault(request_id, asyncio.Event())
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        try:
            while True:
                async with self._db.read() as session:
                    request = await session.get(InitiatorRequest, request_id)
                if request is None or request.state not in WAITING:
                    return request
                left = deadline - loop.time()
                if left <= 0:
                    return request
                # Another instance may settle it (PostgreSQL): look again at least every 0.5 s.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), min(left, 0.5))
        finally:
            self._settled.pop(request_id, None)

    def _wake(self, request_id: int) -> None:
        event = self._settled.get(request_id)
        if event is not None:
            event.set()


def _refused(exc: DarajaError, reason: str | None = None) -> Outcome:
    """An error raised before Daraja accepted the request: nothing moved."""
    return Outcome(
        succeeded=False,
        code=exc.code,
        desc=exc.message[:255],
        reason=reason or exc.user_message,
    )


class Tool:
    """What every money tool is built from: the database, the clock, the settings, the
    initiator requests it sends, and the Daraja client(s) it sends them with.

    A tool whose requests move money or need settling names their `purpose` in `settles`; its
    `apply` is then called once per outcome of such a request.
    """

    settles: ClassVar[str] = ""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        settings: Settings,
        requests: Requests,
        daraja: Callable[[], DarajaClient],
        *,
        payout_daraja: Callable[[], DarajaClient] | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._settings = settings
        self._requests = requests
        self._daraja = daraja
        self._payout_daraja = payout_daraja or daraja  # B2C/B2B may use another shortcode
        if self.settles:
            requests.handlers[self.settles] = self.apply

    async def apply(
        self, session: AsyncSession, request: InitiatorRequest, outcome: Outcome, late: bool
    ) -> None:
        """Settle what `request` was for (tools that name `settles` override this)."""
