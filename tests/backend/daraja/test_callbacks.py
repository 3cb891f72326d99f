"""The parsers read every inbound sample from REFERENCE.md and refuse what Daraja never sends."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

import pytest

from backend.daraja import (
    NAIROBI,
    AccountBalance,
    CallbackParseError,
    parse_c2b_notification,
    parse_result,
    parse_stk_callback,
)
from tests.backend.daraja import samples


def test_paid_stk_callback_reads_items_by_name() -> None:
    callback = parse_stk_callback(samples.STK_PAID)
    assert callback.paid
    assert callback.result_code == 0
    assert callback.amount == 1
    assert callback.receipt == "NLJ7RT61SV"
    assert callback.transaction_date == datetime(2019, 12, 19, 10, 21, 15, tzinfo=NAIROBI)
    assert callback.phone == "254708374149"
    assert callback.checkout_request_id == "ws_CO_191220191020363925"


def test_paid_stk_callback_items_in_any_order_and_as_strings() -> None:
    body = json.loads(samples.STK_PAID)
    items = body["Body"]["stkCallback"]["CallbackMetadata"]["Item"]
    items.reverse()
    items[0]["Value"] = "254708374149"  # PhoneNumber as a string
    body["Body"]["stkCallback"]["ResultCode"] = "0"
    callback = parse_stk_callback(json.dumps(body).encode())
    assert callback.paid and callback.amount == 1 and callback.phone == "254708374149"


def test_cancelled_stk_callback_has_no_payment_fields() -> None:
    callback = parse_stk_callback(samples.STK_CANCELLED)
    assert not callback.paid
    assert callback.result_code == 1032
    assert callback.amount is None and callback.receipt is None
    assert callback.result_desc == "Request cancelled by user"


def test_paid_callback_without_receipt_is_refused() -> None:
    body = json.loads(samples.STK_PAID)
    items = body["Body"]["stkCallback"]["CallbackMetadata"]["Item"]
    body["Body"]["stkCallback"]["CallbackMetadata"]["Item"] = [
        i for i in items if i["Name"] != "MpesaReceiptNumber"
    ]
    with pytest.raises(CallbackParseError):
        parse_stk_callback(body)


@pytest.mark.parametrize("amount", [1.5, "12.30", True, "abc"])
def test_stk_amount_must_be_whole_shillings(amount: object) -> None:
    body = json.loads(samples.STK_PAID)
    body["Body"]["stkCallback"]["CallbackMetadata"]["Item"][0]["Value"] = amount
    with pytest.raises(CallbackParseError):
        parse_stk_callback(body)


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"[]", "{}", {"Body": {}}, {"Body": {"stkCallback": {"ResultCode": 0}}}, 42],
)
def test_not_an_stk_callback(body: object) -> None:
    with pytest.raises(CallbackParseError):
        parse_stk_callback(body)  # type: ignore[arg-type]


def test_c2b_confirmation() -> None:
    note = parse_c2b_notification(samples.C2B_CONFIRMATION)
    assert note.trans_id == "RKL51ZDR4F"
    assert note.amount == 5
    assert note.trans_time == datetime(2023, 11, 21, 12, 13, 25, tzinfo=NAIROBI)
    assert note.shortcode == "600966"
    assert note.bill_ref == "Sample Transaction"
    assert note.org_account_balance == Decimal("25.00")
    assert note.msisdn_masked == "2547 ***** 126"
    assert note.customer_name == "NICHOLAS"


def test_c2b_tolerates_nulls() -> None:
    note = parse_c2b_notification(samples.C2B_WITH_NULLS.encode())
    assert note.invoice_number == "" and note.third_party_trans_id == ""
    assert note.org_account_balance is None
    assert note.amount == 200
    assert note.customer_name == "JANE"


def test_c2b_without_trans_id_is_refused() -> None:
    body = json.loads(samples.C2B_CONFIRMATION)
    del body["TransID"]
    with pytest.raises(CallbackParseError):
        parse_c2b_notification(body)


def test_b2c_result_parameters_by_name() -> None:
    result = parse_result(samples.B2C_RESULT)
    assert result.succeeded and result.result_code == "0"
    assert result.parameters["TransactionAmount"] == 10
    assert result.parameters["B2CWorkingAccountAvailableFunds"] == -900.0
    assert result.parameters["TransactionReceipt"] == "SG632NMUAB"
    assert result.reference["QueueTimeoutURL"].startswith("https://")  # type: ignore[union-attr]
    assert result.conversation_id == "AG_20240706_20106e9209f64bebd05b"


def test_failed_result_has_no_parameters() -> None:
    result = parse_result(samples.B2C_FAILED)
    assert not result.succeeded
    assert result.result_code == "2001"
    assert result.parameters == {}


def test_b2b_result_with_reference_list_and_missing_value() -> None:
    result = parse_result(samples.B2B_RESULT)
    assert result.result_code == "0" and result.result_type == 0
    assert result.reference == {
        "BillReferenceNumber": "19008",
        "QueueTimeoutURL": "https://mydomain.com/b2b/businessbuygoods/queue/",
        "Occasion": None,
    }
    assert result.parameters["Amount"] == "190.00"


def test_status_result_value_less_parameter() -> None:
    result = parse_result(samples.STATUS_RESULT)
    assert result.parameters["TransactionReason"] is None
    assert result.parameters["ReceiptNo"] == "PG9123456X"
    assert result.reference == {"Occasion": None}


def test_reversal_non_numeric_code() -> None:
    result = parse_result(samples.REVERSAL_FAILED)
    assert result.result_code == "R000002" and not result.succeeded


def test_account_balance_from_result() -> None:
    balance = AccountBalance.from_result(parse_result(samples.BALANCE_RESULT))
    assert len(balance.accounts) == 5
    utility = balance.account("utility account")
    assert utility is not None and utility.available == Decimal("228037.00")
    charges = balance.account("Charges Paid Account")
    assert charges is not None and charges.current == Decimal("-1540.00")
    assert balance.completed_at == datetime(2020, 1, 9, 12, 57, 10, tzinfo=NAIROBI)


@pytest.mark.parametrize(
    "body",
    [
        {"Result": {"ResultCode": 0}},
        {"Result": {"ConversationID": "AG_1"}},
        {"NotResult": {}},
        {
            "Result": {
                "ResultCode": 0,
                "ConversationID": "x",
                "ResultParameters": {"ResultParameter": 5},
            }
        },
    ],
)
def test_not_a_result(body: dict[str, object]) -> None:
    with pytest.raises(CallbackParseError):
        parse_result(body)
