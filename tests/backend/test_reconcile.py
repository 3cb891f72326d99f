"""Reconciliation by STK Push Query: confirm-before-paid, rate limits, still-processing."""

from __future__ import annotations

from typing import Any

from daraja_sim import SimController
from tests.backend.helpers import pay, wait_status
from tests.support.backend_fixtures import CANCELS, NO_CALLBACK, PAYS, SLOW

QUERY_PATH = "/mpesa/stkpushquery/v1/query"


async def test_confirm_with_query_shows_paid_only_after_the_query(
    backend_factory: Any, sim_control: SimController
) -> None:
    backend = await backend_factory(confirm_with_query=True)
    http = backend.client(backend.owner_token)
    paid = await wait_status(http, (await pay(http, 80, PAYS)).json()["id"], "paid")
    assert paid["receipt"]  # from the callback, shown once the query agreed
    assert len(await sim_control.received(QUERY_PATH)) >= 1
    failed = await wait_status(http, (await pay(http, 81, CANCELS)).json()["id"], "failed")
    assert failed["result_code"] == 1032


async def test_spike_arrest_on_query_is_retried_later(
    backend_factory: Any, sim_control: SimController
) -> None:
    backend = await backend_factory()
    await sim_control.set_fault("spike", path=QUERY_PATH, count=2)
    http = backend.client(backend.owner_token)
    payment = (await pay(http, 90, NO_CALLBACK)).json()
    assert (await wait_status(http, payment["id"], "paid", within=30))["status"] == "paid"
    assert len(await sim_control.received(QUERY_PATH)) >= 3


async def test_still_processing_stays_pending_until_the_customer_acts(
    backend_factory: Any, sim_control: SimController
) -> None:
    backend = await backend_factory()
    http = backend.client(backend.owner_token)
    payment = (await pay(http, 95, SLOW)).json()  # the customer takes 3 s
    await wait_status(http, payment["id"], "paid", within=20)
    queries = await sim_control.received(QUERY_PATH)
    assert len(queries) >= 1  # asked at 0.6 s and 1.2 s: still processing, stayed pending
    assert backend.runtime.reconciler.queries == len(queries)
