"""The customer's handset page at /phone/<msisdn>: plain HTML forms, no JavaScript."""

from __future__ import annotations

import httpx

from tests.daraja_sim.daraja import STK_PATH, authed, stk_body
from tests.support.sim_fixtures import RunningSim

PHONE = "254712000111"


async def open_prompt(sim: RunningSim, receiver_url: str, amount: int = 250) -> None:
    async with authed(sim.url) as client:
        response = await client.post(STK_PATH, json=stk_body(PHONE, receiver_url, amount))
    assert response.status_code == 200


async def test_page_shows_prompt_and_pin_pays(sim: RunningSim, callback_receiver) -> None:
    await open_prompt(sim, callback_receiver.url)
    async with httpx.AsyncClient(base_url=sim.url) as client:
        page = await client.get(f"/phone/{PHONE}")
        assert "Pay KSh 250 to MAMA MBOGA STORES? Enter M-PESA PIN" in page.text
        assert "<script" not in page.text.lower()
        assert 'http-equiv="refresh"' not in page.text  # never reload while a PIN is typed
        answer = await client.post(f"/phone/{PHONE}/pin", data={"pin": "4321"})
        assert answer.status_code == 303
        [callback] = await callback_receiver.wait_for(1)
        assert callback["Body"]["stkCallback"]["ResultCode"] == 0
        after = await client.get(f"/phone/{PHONE}")
    assert "Confirmed. Ksh250.00 sent to MAMA MBOGA STORES for account INV0001" in after.text
    assert "Enter M-PESA PIN" not in after.text


async def test_cancel_button(sim: RunningSim, callback_receiver) -> None:
    await open_prompt(sim, callback_receiver.url)
    async with httpx.AsyncClient(base_url=sim.url) as client:
        await client.post(f"/phone/{PHONE}/cancel")
    [callback] = await callback_receiver.wait_for(1)
    assert callback["Body"]["stkCallback"]["ResultCode"] == 1032


async def test_short_pin_is_refused_on_the_page(sim: RunningSim, callback_receiver) -> None:
    await open_prompt(sim, callback_receiver.url)
    async with httpx.AsyncClient(base_url=sim.url, follow_redirects=True) as client:
        page = await client.post(f"/phone/{PHONE}/pin", data={"pin": "12"})
    assert "Enter your 4-digit M-PESA PIN" in page.text
    assert "Enter M-PESA PIN" in page.text  # the prompt is still open
    assert callback_receiver.received == []


async def test_names_are_escaped(start_sim, callback_receiver) -> None:
    running = start_sim(public_name="<b>MAMA & SONS</b>")
    await open_prompt(running, callback_receiver.url)
    async with httpx.AsyncClient(base_url=running.url) as client:
        page = await client.get(f"/phone/{PHONE}")
    assert "&lt;b&gt;MAMA &amp; SONS&lt;/b&gt;" in page.text
    assert "<b>MAMA" not in page.text


async def test_pay_till_form(sim: RunningSim) -> None:
    async with httpx.AsyncClient(base_url=sim.url, follow_redirects=True) as client:
        form = await client.get(f"/phone/{PHONE}/pay")
        assert 'action="/phone/254712000111/pay"' in form.text
        assert "refresh" not in form.text
        page = await client.post(
            f"/phone/{PHONE}/pay", data={"shortcode": "300301", "amount": "99", "account": ""}
        )
    assert "Ksh99.00 sent to DUKA TILL" in page.text
    assert await sim.control.balance(PHONE) == 50_000 - 99


async def test_bad_numbers_and_index(sim: RunningSim) -> None:
    async with httpx.AsyncClient(base_url=sim.url) as client:
        bad = await client.get("/phone/0712345678")
        index = await client.get("/phone")
    assert bad.status_code == 404
    assert "/phone/254708374149" in index.text
