"""The payment-in-progress state machine, fed payment snapshots shaped like the backend's."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from app.viewmodels.payment import PaymentState, PaymentViewModel
from app.viewmodels.reasons import reason_key


class FakeClock:
    """A monotonic clock the test moves by hand (clocks are injected, never slept on)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def payment(**fields: Any) -> dict[str, Any]:
    base = {"id": 7, "channel": "stk", "status": "pending", "amount": 100, "phone": "0700***000"}
    return base | fields


def test_sent_then_paid_shows_receipt_and_time() -> None:
    clock = FakeClock()
    vm = PaymentViewModel(amount=100, msisdn="254700000000", clock=clock, timeout_s=60)
    changes: list[PaymentState] = []
    vm.subscribe(lambda: changes.append(vm.state))
    assert vm.state is PaymentState.SENDING
    vm.sent(payment())
    assert vm.state is PaymentState.WAITING
    clock.now += 15
    assert vm.seconds_left == 45
    paid_at = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)
    assert vm.apply_payment(payment(status="paid", receipt="TLK4ABC123", paid_at=paid_at))
    assert (vm.state, vm.receipt, vm.paid_time) == (PaymentState.PAID, "TLK4ABC123", "12:30")
    assert vm.phone_masked == "07** *** 000"
    assert changes[-1] is PaymentState.PAID
    # A late duplicate or a different outcome never changes a finished sale.
    assert not vm.apply_payment(payment(status="failed", result_code=1032))
    assert vm.state is PaymentState.PAID


def test_other_payments_are_ignored() -> None:
    vm = PaymentViewModel(amount=100, msisdn="254700000000")
    vm.sent(payment())
    assert not vm.apply_payment(payment(id=8, status="paid", receipt="X"))
    assert vm.state is PaymentState.WAITING


def test_cancelled_gives_the_plain_reason() -> None:
    vm = PaymentViewModel(amount=100, msisdn="254700000001")
    vm.sent(payment())
    vm.apply_payment(payment(status="failed", result_code=1032, reason="Request cancelled by user"))
    assert vm.state is PaymentState.FAILED
    assert vm.reason_key == "reason.cancelled"


def test_an_outcome_already_in_the_send_answer_is_applied() -> None:
    vm = PaymentViewModel(amount=100, msisdn="254700000000")
    vm.sent(payment(status="paid", receipt="R1"))
    assert (vm.state, vm.receipt) == (PaymentState.PAID, "R1")


def test_failure_to_send_keeps_the_clients_sentence() -> None:
    vm = PaymentViewModel(amount=100, msisdn="254700000000")
    vm.failed_to_send("No connection to the server.")
    assert (vm.state, vm.error_message) == (PaymentState.FAILED, "No connection to the server.")


def test_till_payment_of_the_same_amount_is_offered_while_the_qr_shows() -> None:
    vm = PaymentViewModel(amount=250, msisdn="254700000000")
    vm.sent(payment(amount=250))
    till = payment(
        id=9, channel="till", status="paid", amount=250, receipt="TQR1", payer_name="JANE"
    )
    assert not vm.apply_payment(till)  # QR not shown: not offered
    vm.show_qr()
    assert not vm.apply_payment(till | {"amount": 300})  # different amount
    assert vm.apply_payment(till)
    assert vm.match_offer is not None and vm.match_offer.payer == "JANE"
    vm.accept_match()
    assert (vm.state, vm.receipt, vm.showing_qr) == (PaymentState.PAID, "TQR1", False)


def test_reason_keys_cover_the_common_codes() -> None:
    assert reason_key(1037) == "reason.unreachable"
    assert reason_key("1") == "reason.insufficient"
    assert reason_key(None, "Transaction has expired") == "reason.timeout"
    assert reason_key(424242, "odd") == "reason.unknown"


async def test_feed_asks_the_sale_to_recheck_after_a_reconnect() -> None:
    from app.viewmodels.feed import FeedViewModel  # noqa: PLC0415

    feed = FeedViewModel()
    rechecks: list[str] = []

    async def recheck() -> None:
        rechecks.append(feed.connection)

    feed.on_reconnected = recheck
    for state in ("reconnecting", "connected", "reconnecting", "offline", "connected"):
        feed.set_connection(state)
    await asyncio.sleep(0)
    assert rechecks == ["connected"]  # the first connection is not a reconnect


def test_feed_lists_each_paid_payment_once_newest_first() -> None:
    from app.viewmodels.feed import FeedViewModel  # noqa: PLC0415
    from backend_client.events import Event  # noqa: PLC0415

    feed = FeedViewModel()
    announced: list[int] = []
    heard: list[Any] = []
    feed.on_paid = lambda item: announced.append(item.amount)
    feed.payment_listeners.append(heard.append)
    feed.load_recent([payment(id=1, status="paid", amount=50, receipt="A")])
    paid = payment(id=2, status="paid", amount=70, receipt="B")
    feed.apply_event(Event(id=10, type="payment.paid", data={"payment": paid}, payment=paid))
    feed.apply_event(Event(id=11, type="payment.paid", data={"payment": paid}, payment=paid))
    pending = payment(id=3)
    feed.apply_event(Event(id=12, type="payment.created", data={"payment": pending}))
    assert [i.receipt for i in feed.items] == ["B", "A"]
    assert announced == [70]  # loaded history is not announced; duplicates are not either
    assert heard[-1] == pending  # pending payments still reach the sale on screen
