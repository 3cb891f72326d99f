"""Phone normalisation: every way a cashier types a Kenyan number, and nothing else."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.daraja import InvalidPhoneNumber, normalise_msisdn

subscriber = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("71"),
    st.text(alphabet="0123456789", min_size=8, max_size=8),
)
separator = st.sampled_from(["", " ", "-", "  "])


def _spread(digits: str, sep: str) -> str:
    return sep.join([digits[:3], digits[3:6], digits[6:]])


@given(subscriber, st.sampled_from(["0", "+254", "254", ""]), separator)
def test_every_accepted_form_gives_the_msisdn(nine: str, prefix: str, sep: str) -> None:
    assert normalise_msisdn(prefix + sep + _spread(nine, sep)) == "254" + nine


@given(subscriber)
def test_idempotent(nine: str) -> None:
    once = normalise_msisdn("0" + nine)
    assert normalise_msisdn(once) == once
    assert normalise_msisdn(int(once)) == once


@given(st.text(max_size=20))
def test_anything_else_is_refused_or_a_valid_msisdn(text: str) -> None:
    try:
        result = normalise_msisdn(text)
    except InvalidPhoneNumber as exc:
        assert exc.user_message and exc.field == "phone"
    else:
        assert len(result) == 12 and result[:4] in {"2547", "2541"} and result.isdigit()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0712 345 678", "254712345678"),
        ("0712-345-678", "254712345678"),
        ("+254 712 345 678", "254712345678"),
        ("254712345678", "254712345678"),
        ("712345678", "254712345678"),
        ("0110 123 456", "254110123456"),
        ("+254110123456", "254110123456"),
        (254708374149, "254708374149"),
    ],
)
def test_examples(typed: str | int, expected: str) -> None:
    assert normalise_msisdn(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "0812345678",  # not a mobile range
        "07123456",  # too short
        "07123456789",  # too long
        "+255712345678",  # Tanzania
        "2540712345678",  # 254 followed by a trunk zero
        "0712 34S 678",
        "٠٧١٢٣٤٥٦٧٨",  # Arabic-Indic digits are not what M-PESA accepts
        True,
        None,
        7.12,
    ],
)
def test_refused(typed: object) -> None:
    with pytest.raises(InvalidPhoneNumber):
        normalise_msisdn(typed)  # type: ignore[arg-type]
