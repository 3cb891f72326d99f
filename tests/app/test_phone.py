"""Phone numbers in any common Kenyan form are read; wrong ones say what is wrong."""

from __future__ import annotations

import pytest

from app.phone import PhoneProblem, mask_msisdn, parse_msisdn


@pytest.mark.parametrize(
    "typed",
    [
        "0712345678",
        "712345678",
        "254712345678",
        "+254712345678",
        "+254 712 345 678",
        "0712-345-678",
        "(0712) 345 678",
    ],
)
def test_common_forms_are_accepted(typed: str) -> None:
    assert parse_msisdn(typed) == ("254712345678", None)


def test_01_numbers_are_mobile_too() -> None:
    assert parse_msisdn("0110 123 456") == ("254110123456", None)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", PhoneProblem.EMPTY),
        ("07123abc78", PhoneProblem.NOT_DIGITS),
        ("071234", PhoneProblem.TOO_SHORT),
        ("07123456789", PhoneProblem.TOO_LONG),
        ("0212345678", PhoneProblem.NOT_MOBILE),
    ],
)
def test_problems_are_named(typed: str, problem: str) -> None:
    assert parse_msisdn(typed) == (None, problem)


def test_masking_hides_the_middle() -> None:
    # A full number and the backend's mask of it look the same (one sale, one shape on screen).
    assert mask_msisdn("254712345678") == mask_msisdn("2547••••678") == "07** *** 678"
    assert "345" not in mask_msisdn("254712345678")
    assert mask_msisdn("0712 345 678".replace(" ", "")) == "07** *** 678"
    assert mask_msisdn("254712***678") == "07** *** 678"
    assert mask_msisdn("secret") == "***"
