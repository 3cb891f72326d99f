"""The simulator's state in one object: config, clock, IDs, ledger, logs, faults and API services.

`create_app` builds one `Simulator` per app and stores it at `app.state.sim`; handlers reach each
other only through it. Timers run on the server's event loop and are cancelled on shutdown.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Any

from daraja_sim.activity import Activity
from daraja_sim.auth import Tokens
from daraja_sim.c2b import C2BService
from daraja_sim.callbacks import CallbackQueue
from daraja_sim.clock import Timers, sms_time, system_clock
from daraja_sim.config import SimConfig
from daraja_sim.customers import Inboxes
from daraja_sim.faults import Faults
from daraja_sim.ids import IdFactory
from daraja_sim.initiator import InitiatorService
from daraja_sim.ledger import Ledger
from daraja_sim.merchants import Merchants
from daraja_sim.stk import StkService


class Simulator:
    """Everything one simulated Daraja knows."""

    def __init__(self, config: SimConfig) -> None:
        self.config = config
        self.clock = config.clock or system_clock
        self.ids = IdFactory(config.seed)
        self.tokens = Tokens(config, self.ids)
        self.merchants = Merchants(config)
        self.ledger = Ledger(config.customer_opening_balance, config.org_opening_balance)
        self.inboxes = Inboxes()
        self.activity = Activity(config.log_limit)
        self.faults = Faults()
        self.callbacks = CallbackQueue(
            self.activity,
            self.clock,
            workers=config.callback_workers,
            timeout=config.callback_timeout_seconds,
        )
        self.b2c_originators: set[str] = set()
        self._timers = Timers()
        self._tasks: set[asyncio.Task[Any]] = set()
        self.stk = StkService(self)
        self.c2b = C2BService(self)
        self.initiator = InitiatorService(self)

    def now(self) -> datetime:
        """Return the simulator's current instant (UTC-aware)."""
        return self.clock()

    def later(self, delay: float, action: Callable[..., None], *args: Any) -> None:
        """Run `action(*args)` on the event loop after `delay` seconds."""
        if delay <= 0:
            asyncio.get_running_loop().call_soon(action, *args)
            return
        self._timers.call_later(delay, action, *args)

    def spawn(self, coro: Any) -> None:
        """Run a background coroutine, keeping a reference so it is not garbage-collected."""
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def sms_paid(
        self, msisdn: str, receipt: str, amount: int, *, name: str, at: datetime, account: str = ""
    ) -> None:
        """Send the customer the SMS M-PESA sends after paying a business."""
        account_part = f" for account {account}" if account else ""
        self.inboxes.add(
            msisdn,
            f"{receipt} Confirmed. Ksh{amount:,.2f} sent to {name}{account_part} on "
            f"{sms_time(at)} New M-PESA balance is Ksh{self.ledger.balance(msisdn):,.2f}. "
            "Transaction cost, Ksh0.00.",
        )

    def sms(self, msisdn: str, text: str) -> None:
        """Send the customer any other SMS."""
        self.inboxes.add(msisdn, text)

    async def aclose(self) -> None:
        """Cancel timers and background work; close the callback connection pool."""
        self._timers.cancel_all()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.callbacks.aclose()
