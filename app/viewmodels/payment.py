"""One sale in flight: sent → waiting for the PIN → paid or failed, driven by the live feed.

The backend tells us the outcome through the event stream (`payment.*` events); this view-model
only folds those events into what the cashier sees. When the cashier switches to the till QR, a
till payment of the same amount that arrives meanwhile is offered as the match for this sale.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.formatting import format_ksh, format_time
from app.phone import mask_msisdn
from app.viewmodels._fields import channel_of, field, status_of
from app.viewmodels.observable import Observable
from app.viewmodels.reasons import reason_key

__all__ = ["PAYMENT_TIMEOUT_S", "PaymentState", "PaymentViewModel", "TillPayment"]

# How long the customer has to enter the PIN before the STK prompt expires on their phone (§4.1
# code 1019 comes after roughly a minute); the countdown tells the cashier when to give up.
PAYMENT_TIMEOUT_S = 60


class PaymentState(enum.StrEnum):
    """What the cashier's screen shows; the values are catalogue keys' last part."""

    SENDING = "sending"
    WAITING = "waiting"
    PAID = "paid"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class TillPayment:
    """A payment made to the till (C2B / QR) offered as the match for the sale on screen."""

    payment_id: Any
    amount: int
    receipt: str
    payer: str
    paid_at: datetime | None


class PaymentViewModel(Observable):
    """The payment-in-progress screen's state."""

    def __init__(
        self,
        *,
        amount: int,
        msisdn: str,
        reference: str = "",
        idempotency_key: str = "",
        clock: Callable[[], float] = time.monotonic,
        timeout_s: int = PAYMENT_TIMEOUT_S,
    ) -> None:
        super().__init__()
        self.amount = amount
        self.msisdn = msisdn
        self.reference = reference
        self.idempotency_key = idempotency_key  # the sale this is; the same on every retry
        self.state = PaymentState.SENDING
        self.payment_id: Any = None
        self.receipt = ""
        self.paid_at: datetime | None = None
        self.reason_key = ""
        self.reason_detail = ""
        self.error_message = ""  # a client error's user_message, shown verbatim
        self.showing_qr = False
        self.match_offer: TillPayment | None = None
        self.matched: TillPayment | None = None
        self._clock = clock
        self._timeout_s = timeout_s
        self._sent_at: float | None = None

    # ----- what the screen reads -----------------------------------------------------------
    @property
    def amount_text(self) -> str:
        return format_ksh(self.amount)

    @property
    def phone_masked(self) -> str:
        return mask_msisdn(self.msisdn)

    @property
    def paid_time(self) -> str:
        return format_time(self.paid_at) if self.paid_at else ""

    @property
    def seconds_left(self) -> int:
        """Seconds until the customer's prompt expires (0 once it has, or before sending)."""
        if self._sent_at is None:
            return self._timeout_s
        return max(0, round(self._timeout_s - (self._clock() - self._sent_at)))

    @property
    def finished(self) -> bool:
        return self.state in (PaymentState.PAID, PaymentState.FAILED)

    # ----- transitions -----------------------------------------------------------------------
    def sent(self, payment: Any) -> None:
        """The backend accepted the request: start the countdown (or apply an early outcome)."""
        self.payment_id = field(payment, "id", "payment_id")
        self._sent_at = self._clock()
        if not self.finished:
            self.state = PaymentState.WAITING
        self.apply_payment(payment)
        self.changed()

    def failed_to_send(self, user_message: str) -> None:
        """The request never became a prompt (offline, refused, rate-limited)."""
        self.state = PaymentState.FAILED
        self.error_message = user_message
        self.changed()

    def apply_payment(self, payment: Any) -> bool:
        """Fold a payment snapshot in; returns True if it was about this sale and changed it."""
        if self.finished or payment is None:
            return False
        if self.payment_id is not None and field(payment, "id", "payment_id") == self.payment_id:
            return self._apply_own(payment)
        if self.showing_qr and channel_of(payment) == "till" and status_of(payment) == "paid":
            return self._offer(payment)
        return False

    def _apply_own(self, payment: Any) -> bool:
        status = status_of(payment)
        if status == "paid":
            self.state = PaymentState.PAID
            self.receipt = str(field(payment, "receipt", default=""))
            self.paid_at = field(payment, "paid_at", "updated_at")
        elif status == "failed":
            self.state = PaymentState.FAILED
            detail = str(field(payment, "reason", "result_desc", default=""))
            self.reason_key = reason_key(field(payment, "result_code"), detail)
            self.reason_detail = detail
        else:
            return False
        self.changed()
        return True

    def _offer(self, payment: Any) -> bool:
        if int(field(payment, "amount", default=0)) != self.amount:
            return False
        self.match_offer = TillPayment(
            payment_id=field(payment, "id", "payment_id"),
            amount=self.amount,
            receipt=str(field(payment, "receipt", default="")),
            payer=str(field(payment, "payer_name", "phone_masked", default="")),
            paid_at=field(payment, "paid_at"),
        )
        self.changed()
        return True

    def show_qr(self, showing: bool = True) -> None:
        """Switch between the STK progress and the till QR for the same amount."""
        self.showing_qr = showing
        self.changed()

    def accept_match(self) -> None:
        """The till payment on offer is this sale: the sale is paid with its receipt."""
        offer = self.match_offer
        if offer is None:
            return
        self.matched = offer
        self.match_offer = None
        self.state = PaymentState.PAID
        self.receipt = offer.receipt
        self.paid_at = offer.paid_at
        self.showing_qr = False
        self.changed()

    def ignore_match(self) -> None:
        """The till payment on offer belongs to someone else."""
        self.match_offer = None
        self.changed()

    def tick(self) -> None:
        """Called once a second while waiting so the countdown redraws."""
        if self.state is PaymentState.WAITING:
            self.changed()
