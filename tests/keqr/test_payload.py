"""till_payload / paybill_payload: the layout we write, and clear errors for bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from keqr import (
    InvalidField,
    KeqrError,
    Kind,
    decode,
    mpesa_payload,
    parse,
    paybill_payload,
    till_payload,
)
from keqr.crc import seal
from keqr.tlv import encode
from tests.keqr.vectors import VECTORS


def _without(payload: str, drop: set[str], mcc: str) -> str:
    """Rebuild a payload without our extra tags and with another MCC, to compare with §4."""
    body = "".join(
        encode("52", mcc) if node.tag == "52" else node.encode()
        for node in parse(payload)
        if node.tag not in drop | {"63"}
    )
    return seal(body)


def test_static_till_layout_is_pinned() -> None:
    assert till_payload("123456", "TEST SHOP", city="NAIROBI") == (
        "000201"
        "010211"
        "28220008ke.go.qr0106123456"
        "52040000"
        "5303404"
        "5802KE"
        "5909TEST SHOP"
        "6007NAIROBI"
        "610200"
        "83200010m-pesa.com010203"
        "6304C26F"
    )


def test_till_agrees_with_the_reference_synthetic_vector_apart_from_our_extra_tags() -> None:
    ours = till_payload("123456", "TEST SHOP", city="NAIROBI", mcc="5411")
    assert _without(ours, {"61", "83"}, "5411") == VECTORS["synthetic-static-till"]


def test_paybill_agrees_with_the_reference_synthetic_vector_apart_from_our_extra_tags() -> None:
    ours = paybill_payload(654321, "ACC12345", "TEST UTILITY", amount=150, city="NAIROBI")
    assert _without(ours, {"61", "83"}, "4900") == VECTORS["synthetic-dynamic-paybill"]


def test_static_till_fields() -> None:
    qr = decode(till_payload(123456, "Duka la Mama"))
    assert (qr.kind, qr.number, qr.account, qr.amount, qr.city) == (
        Kind.TILL,
        "123456",
        None,
        None,
        None,
    )
    assert not qr.is_dynamic
    assert (qr.currency, qr.country, qr.mcc, qr.postal_code) == ("404", "KE", "0000", "00")
    assert qr.value("28/00") == "ke.go.qr"
    assert (qr.value("83/00"), qr.value("83/01")) == ("m-pesa.com", "03")


def test_dynamic_paybill_fields() -> None:
    qr = decode(
        paybill_payload("888880", "ACC-77 12", "Kenya Power", amount="2500.5", city="Thika")
    )
    assert (qr.kind, qr.number, qr.account) == (Kind.PAYBILL, "888880", "ACC-77 12")
    assert qr.amount == Decimal("2500.50")
    assert qr.value("54") == "2500.50"
    assert qr.value("83/01") == "04"
    assert qr.is_dynamic
    assert qr.city == "Thika"


def test_payloads_are_deterministic() -> None:
    assert till_payload("123456", "Shop", 10) == till_payload("123456", "Shop", 10)


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (150, "150.00"),
        ("150", "150.00"),
        (" 150.5 ", "150.50"),
        (Decimal("99.99"), "99.99"),
        (Decimal("150.000"), "150.00"),
        (Decimal("1E+3"), "1000.00"),
        (150.5, "150.50"),
        (1, "1.00"),
        ("9999999999.99", "9999999999.99"),
    ],
)
def test_amount_is_written_with_two_decimals(amount: object, text: str) -> None:
    assert decode(till_payload("123456", "Shop", amount)).value("54") == text  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "complaint"),
    [
        (0, "more than 0"),
        (-5, "more than 0"),
        (Decimal("-0.01"), "more than 0"),
        ("0", "more than 0"),
        ("0.001", "is not an amount"),
        (Decimal("0.001"), "more than 2 decimals"),
        (Decimal("10.555"), "more than 2 decimals"),
        ("-5", "is not an amount"),
        ("1e3", "is not an amount"),
        ("1,500", "is not an amount"),
        ("KSh 150", "is not an amount"),
        ("", "is not an amount"),
        (19.99, r"Decimal\('19.99'\)"),
        (0.1 + 0.2, "is really"),
        (float("nan"), "finite"),
        (float("inf"), "finite"),
        (float("-inf"), "finite"),
        (Decimal("NaN"), "more than 0"),
        (True, "bool"),
        ([150], "must be int, Decimal or str"),
        ("12345678901234", "at most 13"),
        (Decimal("1E+40"), "too large"),
    ],
)
def test_bad_amount_is_refused_clearly(amount: object, complaint: str) -> None:
    with pytest.raises(InvalidField, match=complaint) as caught:
        till_payload("123456", "Shop", amount)  # type: ignore[arg-type]
    assert caught.value.field == "amount"


@pytest.mark.parametrize(
    ("till", "complaint"),
    [
        ("12A456", "digits only"),
        ("", "digits only"),
        ("12 3456", "digits only"),
        ("１２３４５６", "digits only"),  # full-width digits are digits to Python, not to M-PESA
        ("1234", "5–7 digits, got 4"),
        ("12345678", "5–7 digits, got 8"),
        (True, "must be digits"),
        (123456.0, "must be digits"),
        (None, "must be digits"),
    ],
)
def test_bad_till_is_refused_clearly(till: object, complaint: str) -> None:
    with pytest.raises(InvalidField, match=complaint) as caught:
        till_payload(till, "Shop")  # type: ignore[arg-type]
    assert caught.value.field == "till"
    assert str(caught.value).startswith("till: ")


def test_bad_paybill_names_the_paybill() -> None:
    with pytest.raises(InvalidField) as caught:
        paybill_payload("PAYBILL", "ACC1", "Shop")
    assert caught.value.field == "paybill"


@pytest.mark.parametrize(
    ("account", "complaint"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("A" * 21, "is 21 characters"),
        ("Akaunti Ñ1", "printable ASCII"),
        ("ACC\n1", "printable ASCII"),
        (None, "is missing"),
        (12.5, "must be text or digits"),
    ],
)
def test_bad_account_is_refused_never_trimmed(account: object, complaint: str) -> None:
    with pytest.raises(InvalidField, match=complaint) as caught:
        paybill_payload("888880", account, "Shop")  # type: ignore[arg-type]
    assert caught.value.field == "account"


def test_account_is_kept_exactly() -> None:
    assert decode(paybill_payload("888880", "A" * 20, "Shop")).account == "A" * 20
    assert decode(paybill_payload("888880", 12345, "Shop")).account == "12345"


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("Duka la Mama Ñjeri — Café", "Duka la Mama Njeri - Cafe"),
        ("  Mama   Mboga\tStores ", "Mama Mboga Stores"),
        ("Mama Njeri General Stores and Hardware", "Mama Njeri General Stores"),
        ("Supercalifragilisticexpialidocious Shop", "Supercalifragilisticexpia"),
        ("Duka 🛒 Bora", "Duka Bora"),
        ("Mama & Sons <Wholesale>", "Mama & Sons <Wholesale>"),
        ("Straße Ærø Łódź", "Strasse AEro Lodz"),
        ("Kiosk ﬁne", "Kiosk fine"),
        ("Kibandaʘ Ŋaŋa", "Kibanda Nganga"),  # ʘ has no ASCII form: dropped
        ("Duka商店Bora", "DukaBora"),
        ("Tab\tand\nnewline", "Tab and newline"),
        ("Wanjiru’s “Best” Shop", 'Wanjiru\'s "Best" Shop'),
        ("Shop - - - - - - - - - - - - - - -", "Shop"),  # no dangling dash
    ],
)
def test_name_is_transliterated_and_trimmed_at_a_word(name: str, written: str) -> None:
    qr = decode(till_payload("123456", name))
    assert qr.name == written
    assert len(qr.name) <= 25


def test_city_is_trimmed_to_15() -> None:
    assert decode(till_payload("123456", "Shop", city="Nairobi Central Business")).city == (
        "Nairobi Central"
    )
    assert decode(till_payload("123456", "Shop", city="Murang’a")).city == "Murang'a"


@pytest.mark.parametrize(("name", "field"), [("商店", "name"), ("   ", "name"), ("— …", "name")])
def test_name_with_nothing_writable_is_refused(name: str, field: str) -> None:
    with pytest.raises(InvalidField, match="Latin letters") as caught:
        till_payload("123456", name)
    assert caught.value.field == field


def test_city_with_nothing_writable_is_refused() -> None:
    with pytest.raises(InvalidField) as caught:
        till_payload("123456", "Shop", city="内罗毕")
    assert caught.value.field == "city"


def test_name_must_be_text() -> None:
    with pytest.raises(InvalidField, match="must be text"):
        till_payload("123456", 42)  # type: ignore[arg-type]


@pytest.mark.parametrize("mcc", ["541", "54111", "abcd", ""])
def test_bad_mcc_is_refused(mcc: str) -> None:
    with pytest.raises(InvalidField, match="4 digits") as caught:
        till_payload("123456", "Shop", mcc=mcc)
    assert caught.value.field == "mcc"


def test_errors_are_value_errors_with_a_user_message() -> None:
    with pytest.raises(KeqrError) as caught:
        till_payload("12A456", "Shop")
    assert isinstance(caught.value, ValueError)
    assert (
        caught.value.user_message == str(caught.value) == "till: must be digits only, got '12A456'"
    )


@pytest.mark.parametrize(
    ("trx_code", "number", "kind"),
    [
        ("BG", "5123456", Kind.TILL),
        ("WA", "123456", Kind.AGENT),
        ("SB", "600984", Kind.BUSINESS),
        ("sm", "0712 345 678", Kind.SEND_MONEY),
    ],
)
def test_every_daraja_trx_code_has_a_payload(trx_code: str, number: str, kind: Kind) -> None:
    assert Kind.from_trx_code(trx_code) is kind
    assert kind.trx_code == trx_code.upper()
    qr = decode(mpesa_payload(kind, number, "Duka", amount=10))
    assert qr.kind is kind
    assert qr.value("83/01") == kind.value


@pytest.mark.parametrize("phone", ["0712345678", "+254712345678", "254 712 345 678", "0112345678"])
def test_send_money_number_is_written_as_254(phone: str) -> None:
    qr = decode(mpesa_payload(Kind.SEND_MONEY, phone, "Jane"))
    assert qr.number is not None
    assert qr.number.startswith("254")
    assert len(qr.number) == 12


def test_phone_in_28_without_marker_reads_as_send_money() -> None:
    body = "000201010211" + encode("28", "0008ke.go.qr0112254712345678") + "5303404" + "5802KE"
    assert decode(seal(body + "5904Jane")).kind is Kind.SEND_MONEY


@pytest.mark.parametrize(
    ("kind", "number", "account", "field", "complaint"),
    [
        (Kind.SEND_MONEY, "0812345678", None, "phone", "not a Kenyan mobile number"),
        (Kind.SEND_MONEY, "12345", None, "phone", "not a Kenyan mobile number"),
        (Kind.AGENT, "12", None, "agent till", "5–7 digits"),
        (Kind.TILL, "123456", "ACC1", "account", "only a paybill"),
        (Kind.OTHER, "123456", None, "kind", "M-PESA kind"),
        ("BG", "123456", None, "kind", "M-PESA kind"),
    ],
)
def test_mpesa_payload_refuses_mismatched_input(
    kind: Kind, number: str, account: str | None, field: str, complaint: str
) -> None:
    with pytest.raises(InvalidField, match=complaint) as caught:
        mpesa_payload(kind, number, "Duka", account=account)
    assert caught.value.field == field


@pytest.mark.parametrize("code", ["XX", "", None])
def test_unknown_trx_code_is_refused(code: object) -> None:
    with pytest.raises(ValueError, match="unknown TrxCode"):
        Kind.from_trx_code(code)  # type: ignore[arg-type]
    assert Kind.OTHER.trx_code is None
