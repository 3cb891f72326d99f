"""Property: however Daraja types and orders a paid STK callback's items, the parse is the same."""

from __future__ import annotations

import json
from datetime import datetime
from random import Random

from hypothesis import given
from hypothesis import strategies as st

from backend.daraja import NAIROBI, parse_result, parse_stk_callback

amounts = st.integers(min_value=1, max_value=250_000)
instants = st.datetimes(min_value=datetime(2015, 1, 1), max_value=datetime(2035, 12, 31))
receipts = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=10, max_size=10)
phones = st.from_regex(r"2547[0-9]{8}|2541[0-9]{8}", fullmatch=True)


def _amount_forms(amount: int) -> st.SearchStrategy[object]:
    return st.sampled_from([amount, float(amount), f"{amount}.00", str(amount)])


@given(
    amount_and_form=amounts.flatmap(lambda a: st.tuples(st.just(a), _amount_forms(a))),
    when=instants,
    receipt=receipts,
    phone=phones,
    code_as_string=st.booleans(),
    numbers_as_strings=st.booleans(),
    with_balance=st.booleans(),
    rng=st.randoms(),
)
def test_paid_callback_parses_the_same_in_every_shape(
    *,
    amount_and_form: tuple[int, object],
    when: datetime,
    receipt: str,
    phone: str,
    code_as_string: bool,
    numbers_as_strings: bool,
    with_balance: bool,
    rng: Random,
) -> None:
    amount, amount_form = amount_and_form
    stamp = when.strftime("%Y%m%d%H%M%S")
    items: list[dict[str, object]] = [
        {"Name": "Amount", "Value": amount_form},
        {"Name": "MpesaReceiptNumber", "Value": receipt},
        {"Name": "TransactionDate", "Value": stamp if numbers_as_strings else int(stamp)},
        {"Name": "PhoneNumber", "Value": phone if numbers_as_strings else int(phone)},
    ]
    if with_balance:
        items.append({"Name": "Balance"})
    rng.shuffle(items)
    body = {
        "Body": {
            "stkCallback": {
                "MerchantRequestID": "m-1",
                "CheckoutRequestID": "ws_CO_1",
                "ResultCode": "0" if code_as_string else 0,
                "ResultDesc": "The service request is processed successfully.",
                "CallbackMetadata": {"Item": items},
            }
        }
    }
    callback = parse_stk_callback(json.dumps(body).encode())
    assert callback.paid and callback.result_code == 0
    assert callback.amount == amount
    assert callback.receipt == receipt
    assert callback.phone == phone
    assert callback.transaction_date == when.replace(microsecond=0, tzinfo=NAIROBI)


@given(
    st.lists(
        st.tuples(
            st.text(min_size=1, max_size=20),
            st.one_of(st.none(), st.integers(), st.text(max_size=20), st.floats(allow_nan=False)),
        ),
        max_size=8,
        unique_by=lambda kv: kv[0],
    ),
    st.booleans(),
    st.one_of(st.integers(min_value=0, max_value=9999), st.text(min_size=1, max_size=10)),
)
def test_result_parameters_are_found_by_name(
    pairs: list[tuple[str, object]], reference_as_list: bool, code: object
) -> None:
    parameters = [{"Key": k} if v is None else {"Key": k, "Value": v} for k, v in pairs]
    reference = {"Key": "QueueTimeoutURL", "Value": "https://example.com/t"}
    body = {
        "Result": {
            "ResultType": 0,
            "ResultCode": code,
            "ResultDesc": "done",
            "OriginatorConversationID": "o-1",
            "ConversationID": "AG_1",
            "TransactionID": "SG632NMUAB",
            "ResultParameters": {"ResultParameter": parameters},
            "ReferenceData": {"ReferenceItem": [reference] if reference_as_list else reference},
        }
    }
    result = parse_result(body)
    assert result.parameters == dict(pairs)
    assert result.reference == {"QueueTimeoutURL": "https://example.com/t"}
    assert result.result_code == str(code).strip()
