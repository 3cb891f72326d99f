"""B2C, B2B, Transaction Status, Account Balance, Reversal, C2B and Dynamic QR end to end."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from backend.daraja import (
    AccountBalance,
    DuplicateRequest,
    InvalidRequest,
    RejectedByMpesa,
    parse_c2b_notification,
    parse_result,
    parse_stk_callback,
)
from backend.daraja.qr import PNG_SIGNATURE
from daraja_sim import TILL_NUMBER
from tests.backend.daraja.simulated import (
    ORG,
    client_for,
    credentials,
    org_credentials,
    till_credentials,
)
from tests.support.sim_fixtures import CallbackReceiver, RunningSim


def _urls(receiver: CallbackReceiver) -> dict[str, Any]:
    return {"result_url": f"{receiver.url}/result", "timeout_url": f"{receiver.url}/timeout"}


async def test_b2c_pays_the_customer(
    sim: RunningSim, callback_receiver: CallbackReceiver, tmp_path: Path
) -> None:
    creds = await org_credentials(sim, tmp_path)
    async with client_for(sim, creds) as client:
        ack = await client.b2c(
            amount=500,
            phone="0708 374 149",
            remarks="Refund",
            originator_conversation_id="duka-refund-1",
            occasion="Refund",
            **_urls(callback_receiver),
        )
    assert ack.originator_conversation_id == "duka-refund-1"
    (body,) = await callback_receiver.wait_for(1, path="/result")
    result = parse_result(body)
    assert result.succeeded and result.originator_conversation_id == "duka-refund-1"
    assert result.parameters["TransactionAmount"] in (500, 500.0, "500.00")
    assert await sim.control.balance("254708374149") > 50_000


async def test_b2c_resend_with_the_same_originator_id_does_not_pay_twice(
    sim: RunningSim, callback_receiver: CallbackReceiver, tmp_path: Path
) -> None:
    creds = await org_credentials(sim, tmp_path)
    request: dict[str, Any] = {"amount": 100, "phone": "0708374149", "remarks": "Refund"}
    async with client_for(sim, creds) as client:
        await client.b2c(originator_conversation_id="same-1", **request, **_urls(callback_receiver))
        with pytest.raises(DuplicateRequest) as info:
            await client.b2c(
                originator_conversation_id="same-1", **request, **_urls(callback_receiver)
            )
    assert info.value.code == "500.002.1001"
    await callback_receiver.wait_for(1, path="/result")
    assert len(await sim.control.received("/mpesa/b2c/v3/paymentrequest")) == 2


async def test_b2c_with_safaricoms_certificate_fails_on_the_simulator(
    sim: RunningSim, callback_receiver: CallbackReceiver, tmp_path: Path
) -> None:
    # Encrypting with the wrong certificate is Daraja's ResultCode 2001 (REFERENCE.md §8).
    creds = await org_credentials(sim, tmp_path, certificate_path=None)
    async with client_for(sim, creds) as client:
        await client.b2c(
            amount=100, phone="0708374149", remarks="Refund", **_urls(callback_receiver)
        )
    (body,) = await callback_receiver.wait_for(1, path="/result")
    result = parse_result(body)
    assert result.result_code == "2001" and not result.succeeded


async def test_b2c_amount_below_minimum_is_caught_locally(
    sim: RunningSim, callback_receiver: CallbackReceiver, tmp_path: Path
) -> None:
    creds = await org_credentials(sim, tmp_path)
    async with client_for(sim, creds) as client:
        with pytest.raises(InvalidRequest):
            await client.b2c(
                amount=9, phone="0708374149", remarks="Refund", **_urls(callback_receiver)
            )
    assert await sim.control.received() == []


@pytest.mark.parametrize(
    ("kind", "receiver", "reference"), [("paybill", "600000", "INV-7"), ("till", TILL_NUMBER, None)]
)
async def test_b2b_pays_a_paybill_or_till(
    sim: RunningSim,
    callback_receiver: CallbackReceiver,
    tmp_path: Path,
    *,
    kind: str,
    receiver: str,
    reference: str | None,
) -> None:
    creds = await org_credentials(sim, tmp_path)
    async with client_for(sim, creds) as client:
        await client.b2b(
            amount=1_000,
            receiver=receiver,
            receiver_kind=kind,
            account_reference=reference,
            remarks="Stock",
            **_urls(callback_receiver),
        )
    (body,) = await callback_receiver.wait_for(1, path="/result")
    result = parse_result(body)
    assert result.succeeded, result


async def test_b2b_paybill_needs_an_account_reference(
    sim: RunningSim, callback_receiver: CallbackReceiver, tmp_path: Path
) -> None:
    creds = await org_credentials(sim, tmp_path)
    async with client_for(sim, creds) as client:
        with pytest.raises(InvalidRequest):
            await client.b2b(
                amount=10, receiver="600000", receiver_kind="paybill", remarks="Stock",
                **_urls(callback_receiver),
            )  # fmt: skip


async def _paid_receipt(sim: RunningSim, receiver: CallbackReceiver) -> str:
    """Take a real STK payment into the till and return its receipt."""
    async with client_for(sim, till_credentials()) as client:
        await client.stk_push(
            amount=300,
            phone="0700000000",
            callback_url=f"{receiver.url}/stk",
            account_reference="Duka",
            description="Sale",
        )
    (body,) = await receiver.wait_for(1, path="/stk")
    receipt = parse_stk_callback(body).receipt
    assert receipt
    return receipt


async def test_transaction_status_of_a_real_receipt(
    sim: RunningSim, callback_receiver: CallbackReceiver, tmp_path: Path
) -> None:
    receipt = await _paid_receipt(sim, callback_receiver)
    creds = await org_credentials(sim, tmp_path)
    async with client_for(sim, creds) as client:
        await client.transaction_status(
            receipt=receipt.lower(), remarks="Check", **_urls(callback_receiver)
        )
    (body,) = await callback_receiver.wait_for(1, path="/result")
    result = parse_result(body)
    assert result.succeeded, result
    assert receipt in {str(v) for v in result.parameters.values()} | {result.transaction_id}


async def test_account_balance_reads_every_account(
    sim: RunningSim, callback_receiver: CallbackReceiver, tmp_path: Path
) -> None:
    creds = await org_credentials(sim, tmp_path)
    async with client_for(sim, creds) as client:
        await client.account_balance(remarks="Daily", **_urls(callback_receiver))
    (body,) = await callback_receiver.wait_for(1, path="/result")
    balance = AccountBalance.from_result(parse_result(body))
    assert balance.accounts
    assert all(account.currency == "KES" for account in balance.accounts)


async def test_reversal_of_a_real_receipt(
    sim: RunningSim, callback_receiver: CallbackReceiver, tmp_path: Path
) -> None:
    receipt = await _paid_receipt(sim, callback_receiver)
    creds = await org_credentials(sim, tmp_path, shortcode=TILL_NUMBER)
    async with client_for(sim, creds) as client:
        await client.reversal(
            receipt=receipt, amount=300, remarks="Wrong amount", **_urls(callback_receiver)
        )
    (body,) = await callback_receiver.wait_for(1, path="/result")
    result = parse_result(body)
    assert result.result_code in {"0", "R000001", "R000002"}
    assert result.conversation_id


async def test_result_timeout_notice_parses(
    sim: RunningSim, callback_receiver: CallbackReceiver, tmp_path: Path
) -> None:
    await sim.control.time_out_results(1)
    creds = await org_credentials(sim, tmp_path)
    async with client_for(sim, creds) as client:
        ack = await client.account_balance(remarks="Daily", **_urls(callback_receiver))
    (body,) = await callback_receiver.wait_for(1, path="/timeout")
    notice = parse_result(body)
    assert not notice.succeeded and notice.conversation_id == ack.conversation_id


async def test_c2b_register_then_customer_pays(
    sim: RunningSim, callback_receiver: CallbackReceiver, tmp_path: Path
) -> None:
    async with client_for(sim, credentials(shortcode=ORG)) as client:
        ack = await client.register_c2b_urls(
            confirmation_url=f"{callback_receiver.url}/c2b/confirm",
            validation_url=f"{callback_receiver.url}/c2b/validate",
        )
    assert ack.response_code == "0"
    await sim.control.pay(ORG, "254708374149", 450, account="ACC1")
    (validation,) = await callback_receiver.wait_for(1, path="/c2b/validate")
    (confirmation,) = await callback_receiver.wait_for(1, path="/c2b/confirm")
    note = parse_c2b_notification(confirmation)
    assert note.amount == 450 and note.shortcode == ORG and note.bill_ref == "ACC1"
    assert note.msisdn_masked.startswith("2547") and "*" in note.msisdn_masked
    assert parse_c2b_notification(validation).trans_id == note.trans_id


async def test_c2b_register_on_the_stk_only_paybill_is_refused(
    sim: RunningSim, callback_receiver: CallbackReceiver
) -> None:
    async with client_for(sim) as client:
        with pytest.raises((RejectedByMpesa, InvalidRequest)):
            await client.register_c2b_urls(
                confirmation_url=f"{callback_receiver.url}/c2b/confirm",
                validation_url=f"{callback_receiver.url}/c2b/validate",
            )


async def test_c2b_url_with_forbidden_word_is_caught_locally(sim: RunningSim) -> None:
    async with client_for(sim, credentials(shortcode=ORG)) as client:
        with pytest.raises(InvalidRequest) as info:
            await client.register_c2b_urls(
                confirmation_url="https://duka.example/mpesa/confirm",
                validation_url="https://duka.example/validate",
            )
    assert info.value.field == "confirmation_url"
    assert await sim.control.received() == []


@pytest.mark.parametrize("till", [True, False])
async def test_dynamic_qr_is_a_png(sim: RunningSim, till: bool) -> None:
    creds = till_credentials() if till else credentials()
    async with client_for(sim, creds) as client:
        qr = await client.dynamic_qr(
            amount=250, ref_no="Sale42", merchant_name="Mama Mboga", size=300
        )
    assert qr.png_bytes.startswith(PNG_SIGNATURE)
    (request,) = await sim.control.received("/mpesa/qrcode/v1/generate")
    assert request["body"]["TrxCode"] == ("BG" if till else "PB")
    assert request["body"]["CPI"] == (TILL_NUMBER if till else "174379")


async def test_c2b_confirmation_with_null_fields(
    start_sim: Callable[..., RunningSim], callback_receiver: CallbackReceiver
) -> None:
    quirky = start_sim(c2b_null_fields=True, external_validation=False)
    async with client_for(quirky, credentials(shortcode=ORG)) as client:
        await client.register_c2b_urls(
            confirmation_url=f"{callback_receiver.url}/c2b/confirm",
            validation_url=f"{callback_receiver.url}/c2b/validate",
            version=1,
        )
    await quirky.control.pay(ORG, "254708374149", 75)
    (confirmation,) = await callback_receiver.wait_for(1, path="/c2b/confirm")
    note = parse_c2b_notification(confirmation)
    assert note.amount == 75 and note.invoice_number == "" and note.third_party_trans_id == ""
    assert len(note.msisdn_masked) == 64  # v1 sends a SHA-256 hash of the number
