"""`MoneyTools`: the owner's refunds, balance, verify, payouts and audit, wired to one backend.

Built by the app factory beside the `Runtime` (it reuses its database, event hub, clock and Daraja
client) and started in the app's lifespan, so its background checks stop with the app.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from backend.core.db import Database
from backend.daraja import DarajaClient
from backend.errors import Unavailable
from backend.money_models import Payout, Refund
from backend.runtime import Runtime, daraja_client
from backend.schemas.money import MoneyDay
from backend.services.money.balance import Balance
from backend.services.money.checks import Checks
from backend.services.money.payouts import Payouts
from backend.services.money.refunds import Refunds
from backend.services.money.requests import Requests
from backend.services.money.verify import Verifier

NOT_SET_UP = (
    "Refunds, balance and payouts need the M-PESA initiator name and password. Ask the owner to "
    "add them to the shop's settings."
)


class MoneyTools:
    """Everything behind /v1/payments/{id}/refund, /v1/balance, /v1/verify, /v1/payouts."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime
        settings, db, clock = runtime.settings, runtime.db, runtime.clock
        self._db: Database = db
        self._clients: dict[str, DarajaClient] = {}  # by the shortcode they speak as
        self.requests = Requests(db, runtime.hub, clock, settings, runtime.callback_url)
        # Reversal, verify and checks speak as the party customers pay; B2C/B2B/balance as the
        # shortcode that pays out.
        wiring = (db, clock, settings, self.requests)
        both = {"daraja": self.receiver_daraja, "payout_daraja": self.payout_daraja}
        self.checks = Checks(*wiring, **both)
        self.refunds = Refunds(*wiring, checks=self.checks, **both)
        self.payouts = Payouts(*wiring, self.payout_daraja)
        self.balance = Balance(*wiring, self.payout_daraja)
        self.verifier = Verifier(*wiring, self.receiver_daraja)

    def daraja(self) -> DarajaClient:
        """The backend's Daraja client, refusing up front when no initiator is configured."""
        if not self._runtime.settings.initiator_name.strip():
            raise Unavailable(NOT_SET_UP, code="initiator_not_configured")
        return self._runtime.daraja()

    def payout_daraja(self) -> DarajaClient:
        """The client for B2C/B2B/balance: the B2C shortcode's when one is configured."""
        return self._speaking_as(self._runtime.settings.b2c_shortcode)

    def receiver_daraja(self) -> DarajaClient:
        """The client for Reversal and Transaction Status: the party customers pay.

        For a Buy Goods shop that is the till, not the store: the till received the payment, so
        it is the Reversal's `ReceiverParty` and the status query's `PartyA` (REFERENCE.md §7.4,
        §7.6); the store number only signs STK pushes.
        """
        return self._speaking_as(self._runtime.settings.till_number)

    def _speaking_as(self, party: str) -> DarajaClient:
        """The backend's client, or a copy whose shortcode is `party` (same app, same initiator)."""
        settings = self._runtime.settings
        party = party.strip()
        client = self.daraja()  # refuses when no initiator is configured
        if not party or party == settings.shortcode.strip():
            return client
        if party not in self._clients:
            copy = settings.model_copy(update={"shortcode": party, "till_number": ""})
            self._clients[party] = daraja_client(
                copy,
                clock=self._runtime.clock,
                transport=self._runtime._daraja_transport,
            )
        return self._clients[party]

    async def start(self) -> None:
        self.checks.start()

    async def stop(self) -> None:
        await self.checks.stop()
        for client in self._clients.values():
            await client.aclose()

    async def receive(self, kind: str, raw: bytes, remote_ip: str) -> None:
        """A Result or timeout notice POSTed by Daraja (kind "result" or "timeout")."""
        await self.requests.receive(kind, raw, remote_ip)

    async def day(self, day: dt.date) -> MoneyDay:
        """Takings, refunds and payouts of one Nairobi day; they add up to the till's change."""
        takings = (await self._runtime.takings.day(day)).total
        async with self._db.read() as session:
            refunds = await session.scalar(
                select(func.coalesce(func.sum(Refund.amount), 0)).where(
                    Refund.day == day, Refund.status == "refunded"
                )
            )
            payouts = await session.scalar(
                select(func.coalesce(func.sum(Payout.amount), 0)).where(
                    Payout.day == day, Payout.status == "paid"
                )
            )
        refunds, payouts = int(refunds or 0), int(payouts or 0)
        return MoneyDay(
            date=day,
            takings=takings,
            refunds=refunds,
            payouts=payouts,
            net=takings - refunds - payouts,
        )
