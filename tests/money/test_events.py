"""Outcomes stream on /v1/events (owner only); Result bodies of any shape are kept, never a 500."""

from __future__ import annotations

import json

from tests.backend.helpers import read_events
from tests.money.helpers import paid_payment, payout, refund, wait_payout, wait_refund
from tests.support.backend_fixtures import CALLBACK_SECRET, RunningBackend


async def test_owner_stream_carries_refund_and_payout_outcomes(shop: RunningBackend) -> None:
    owner = shop.client(shop.owner_token)
    payment = await paid_payment(owner, 220)
    _, token = await shop.cashier()
    cashier = shop.client(token)
    last = max(e["id"] for e in await read_events(owner, 2, last_event_id=0))  # the sale's two

    await refund(owner, payment["id"])
    await wait_refund(owner, payment["id"], "refunded")
    draft = (await payout(owner, kind="b2c", phone="0711222333", amount=120)).json()
    await owner.post(f"/v1/payouts/{draft['id']}/confirm")
    await wait_payout(owner, draft["id"], "paid")

    events = await read_events(owner, 5, last_event_id=last)
    kinds = [e["kind"] for e in events]
    assert kinds == [
        "refund.pending",
        "refund.refunded",
        "payout.awaiting_confirmation",
        "payout.pending",
        "payout.paid",
    ], kinds
    assert events[1]["refund"]["receipt"] and events[1]["refund"]["payment_id"] == payment["id"]
    assert events[4]["payout"]["to"] == "2547••••333"
    assert "254711222333" not in json.dumps(events)

    # A cashier's stream skips the owner's money moves: the next it sees is its own sale.
    await paid_payment(cashier, 75)
    theirs = await read_events(cashier, 2, last_event_id=last)
    assert [e["kind"] for e in theirs] == ["payment.created", "payment.paid"]


async def test_odd_result_bodies_are_kept_and_answered(shop: RunningBackend) -> None:
    http = shop.client()
    url = f"/callbacks/{CALLBACK_SECRET}/result"
    stranger = {
        "Result": {
            "ResultType": 0,
            "ResultCode": 0,
            "ResultDesc": "ok",
            "OriginatorConversationID": "nobody-asked-for-this",
            "ConversationID": "AG_20261204_000000000000000",
        }
    }
    for body in (json.dumps(stranger), "not json", json.dumps({"Result": "x"})):
        answer = await http.post(url, content=body, headers={"content-type": "application/json"})
        assert answer.status_code == 200 and answer.json()["ResultCode"] == 0
    timeout = await http.post(f"/callbacks/{CALLBACK_SECRET}/timeout", json=stranger)
    assert timeout.status_code == 200
    assert (await http.post("/callbacks/wrong-secret/result", json=stranger)).status_code == 404
