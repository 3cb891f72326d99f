"""Request validators: whole shillings in range, Daraja's field lengths, usable URLs."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.daraja import InvalidRequest
from backend.daraja._rules import B2C_AMOUNT, STK_AMOUNT, callback_url, plain_text, whole_shillings
from backend.daraja.stk import StkPushRequest

printable = st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1)


def _request(**overrides: object) -> StkPushRequest:
    fields: dict[str, Any] = {
        "amount": 250,
        "phone": "0712345678",
        "callback_url": "https://duka.example/stk",
        "account_reference": "Duka",
        "description": "Sale",
        "https_only": False,
    }
    fields.update(overrides)
    return StkPushRequest.build(**fields)


@given(st.integers())
def test_stk_amount_accepted_exactly_in_range(amount: int) -> None:
    low, high = STK_AMOUNT
    if low <= amount <= high:
        assert _request(amount=amount).amount == amount
    else:
        with pytest.raises(InvalidRequest) as info:
            _request(amount=amount)
        assert info.value.field == "amount"


@given(st.one_of(st.floats(), st.decimals(), st.booleans(), st.text()))
def test_amount_must_be_an_int(amount: object) -> None:
    with pytest.raises(InvalidRequest):
        whole_shillings(amount, "amount", B2C_AMOUNT)


@given(printable)
def test_account_reference_at_most_12(reference: str) -> None:
    if len(reference) <= 12:
        assert _request(account_reference=reference).account_reference == reference
    else:
        with pytest.raises(InvalidRequest) as info:
            _request(account_reference=reference)
        assert info.value.field == "account_reference"


@given(printable)
def test_description_at_most_13(description: str) -> None:
    if len(description) <= 13:
        assert _request(description=description).description == description
    else:
        with pytest.raises(InvalidRequest):
            _request(description=description)


@pytest.mark.parametrize("text", ["Dukaé", "a\tb", "line\nbreak", ""])
def test_plain_text_refuses_hidden_or_non_ascii(text: str) -> None:
    with pytest.raises(InvalidRequest):
        plain_text(text, "remarks", max_len=100, min_len=2)


@pytest.mark.parametrize(
    "url",
    [
        " https://a.example/cb",
        "https://a.example/c b",
        "ftp://a.example/x",
        "/relative",
        "",
        5,
        ["https://a.example"],
        "http://[::1/cb",
        "http://a.example:port/cb",
    ],
)
def test_bad_callback_urls(url: object) -> None:
    with pytest.raises(InvalidRequest):
        callback_url(url, "callback_url", https_only=False)


def test_production_needs_https() -> None:
    with pytest.raises(InvalidRequest):
        callback_url("http://duka.example/cb", "callback_url", https_only=True)
    assert callback_url("https://duka.example/cb", "callback_url", https_only=True)


@pytest.mark.parametrize("word", ["mpesa", "M-PESA", "Safaricom", "query", "sql", "cmd"])
def test_c2b_urls_refuse_daraja_blacklisted_words(word: str) -> None:
    with pytest.raises(InvalidRequest):
        callback_url(f"https://duka.example/{word}/x", "validation_url", https_only=False, c2b=True)
