"""Parsers for every body Daraja POSTs to us: STK callback, C2B notification, initiator Result.

Daraja is inconsistent about JSON types (REFERENCE.md §4, §6.2, §7.2, §12), so these accept both
readings where it wavers (`ResultCode` 0 or "0", `ReferenceItem` object or list, `Value` missing,
numbers as strings) and are strict where a field must exist (IDs, result code, amount and receipt
of a paid push). Items are looked up by name, never by position: `Balance` comes and goes.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from backend.daraja._clock import parse_daraja_time
from backend.daraja.c2b import C2BNotification
from backend.daraja.errors import CallbackParseError, InvalidPhoneNumber
from backend.daraja.initiator import InitiatorResult, ParameterValue
from backend.daraja.phone import normalise_msisdn
from backend.daraja.stk import StkCallback

Body = bytes | str | dict[str, Any]
# Stands in for a non-numeric STK ResultCode (e.g. "SFC_IC0003"); the text stays in result_desc.
NON_NUMERIC_RESULT_CODE = -1


def parse_stk_callback(body: Body) -> StkCallback:
    """Read an STK callback (`Body.stkCallback`); raise CallbackParseError if it is not one."""
    root = _load(body)
    callback = _object(_object(root.get("Body"), "Body").get("stkCallback"), "Body.stkCallback")
    code = _int_code(_required(callback, "ResultCode"))
    merchant_request_id = _text(_required(callback, "MerchantRequestID"))
    checkout_request_id = _text(_required(callback, "CheckoutRequestID"))
    result_desc = _text(callback.get("ResultDesc") or "")
    if code != 0:
        return StkCallback(
            merchant_request_id=merchant_request_id,
            checkout_request_id=checkout_request_id,
            result_code=code,
            result_desc=result_desc,
            paid=False,
        )
    metadata = _object(callback.get("CallbackMetadata"), "CallbackMetadata")
    items = _named_values(metadata.get("Item"), name_key="Name")
    if "Amount" not in items or "MpesaReceiptNumber" not in items:
        raise CallbackParseError("paid STK callback lacks Amount or MpesaReceiptNumber", raw=root)
    date = items.get("TransactionDate")
    phone = items.get("PhoneNumber")
    return StkCallback(
        merchant_request_id=merchant_request_id,
        checkout_request_id=checkout_request_id,
        result_code=code,
        result_desc=result_desc,
        paid=True,
        amount=_shillings(items["Amount"], "Amount"),
        receipt=_text(items["MpesaReceiptNumber"]),
        transaction_date=None if date is None else _time(date, "TransactionDate"),
        phone=None if phone is None else _phone(phone),
    )


def parse_c2b_notification(body: Body) -> C2BNotification:
    """Read a C2B validation or confirmation body (all values strings, some null)."""
    root = _load(body)
    balance = root.get("OrgAccountBalance")
    return C2BNotification(
        transaction_type=_text(root.get("TransactionType") or ""),
        trans_id=_text(_required(root, "TransID")),
        trans_time=_time(_required(root, "TransTime"), "TransTime"),
        amount=_shillings(_required(root, "TransAmount"), "TransAmount"),
        shortcode=_text(_required(root, "BusinessShortCode")),
        bill_ref=_text(root.get("BillRefNumber") or ""),
        invoice_number=_text(root.get("InvoiceNumber") or ""),
        org_account_balance=_decimal_or_none(balance),
        third_party_trans_id=_text(root.get("ThirdPartyTransID") or ""),
        msisdn_masked=_text(root.get("MSISDN") or ""),
        first_name=_text(root.get("FirstName") or ""),
        middle_name=_text(root.get("MiddleName") or ""),
        last_name=_text(root.get("LastName") or ""),
    )


def parse_result(body: Body) -> InitiatorResult:
    """Read a B2C/B2B/status/balance/reversal Result (or timeout notice) POSTed to us."""
    root = _load(body)
    result = _object(root.get("Result"), "Result")
    originator = result.get("OriginatorConversationID")
    conversation = result.get("ConversationID")
    if originator is None and conversation is None:
        raise CallbackParseError("Result has neither ConversationID nor OriginatorConversationID")
    parameters = result.get("ResultParameters")
    reference = result.get("ReferenceData")
    result_type = result.get("ResultType", 0)
    return InitiatorResult(
        result_type=_int_code(result_type) if result_type not in (None, "") else 0,
        result_code=_text(_required(result, "ResultCode")).strip(),
        result_desc=_text(result.get("ResultDesc") or ""),
        originator_conversation_id=_text(originator or ""),
        conversation_id=_text(conversation or ""),
        transaction_id=None
        if result.get("TransactionID") is None
        else _text(result["TransactionID"]),
        parameters=_named_values(
            _object(parameters, "ResultParameters").get("ResultParameter") if parameters else None,
            name_key="Key",
        ),
        reference=_named_values(
            _object(reference, "ReferenceData").get("ReferenceItem") if reference else None,
            name_key="Key",
        ),
    )


def _load(body: Body) -> dict[str, Any]:
    if isinstance(body, dict):
        return body
    if not isinstance(body, bytes | str):
        raise CallbackParseError(f"expected JSON text or a dict, got {type(body).__name__}")
    try:
        loaded = json.loads(body)
    except ValueError as exc:
        raise CallbackParseError("body is not JSON", raw=_preview(body)) from exc
    if not isinstance(loaded, dict):
        raise CallbackParseError("body is not a JSON object", raw=_preview(body))
    return loaded


def _preview(body: bytes | str) -> str:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    return text[:500]


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise CallbackParseError(f"{where} is missing or not an object")
    return value


def _required(container: dict[str, Any], key: str) -> Any:
    value = container.get(key)
    if value is None or value == "":
        raise CallbackParseError(f"{key} is missing", raw=container)
    return value


def _named_values(items: Any, *, name_key: str) -> dict[str, ParameterValue]:
    """Turn `[{Name|Key, Value}]` (or one such object) into a dict; a missing Value is None."""
    if items is None:
        return {}
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        raise CallbackParseError(f"expected a list of {name_key}/Value items")
    values: dict[str, ParameterValue] = {}
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get(name_key), str):
            raise CallbackParseError(f"item without a {name_key}: {item!r}")
        values[item[name_key]] = _scalar(item.get("Value"))
    return values


def _scalar(value: Any) -> ParameterValue:
    if value is None or isinstance(value, str | float):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return json.dumps(value)


def _text(value: Any) -> str:
    if isinstance(value, dict | list):
        raise CallbackParseError(f"expected text, got {type(value).__name__}")
    return str(value)


def _int_code(value: Any) -> int:
    if isinstance(value, bool):
        raise CallbackParseError("ResultCode is a boolean")
    if isinstance(value, int):
        return value
    text = str(value).strip()
    try:
        return int(text)
    except ValueError:
        return NON_NUMERIC_RESULT_CODE


def _shillings(value: Any, field: str) -> int:
    """Whole shillings from 1, 1.0, "1.00"; a fractional amount is not something M-PESA sends."""
    if isinstance(value, bool):
        raise CallbackParseError(f"{field} is a boolean")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise CallbackParseError(f"{field} is not a number: {value!r}") from None
    if not amount.is_finite() or amount != amount.to_integral_value():
        raise CallbackParseError(f"{field} is not whole shillings: {value!r}")
    return int(amount)


def _decimal_or_none(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        raise CallbackParseError(f"not a number: {value!r}") from None


def _time(value: Any, field: str) -> datetime:
    try:
        return parse_daraja_time(value)
    except ValueError:
        raise CallbackParseError(f"{field} is not YYYYMMDDHHmmss: {value!r}") from None


def _phone(value: Any) -> str:
    """The payer's number normalised when it is a plain MSISDN; kept as sent if masked."""
    try:
        return normalise_msisdn(str(value))
    except InvalidPhoneNumber:
        return str(value)
