"""decode(): typed fields from real and synthetic KE-QR payloads, and exact reasons for rejects."""

from __future__ import annotations

from decimal import Decimal

import pytest

from keqr import (
    DecodeError,
    Initiation,
    InvalidValue,
    Kind,
    LengthOverrun,
    MalformedObject,
    MisplacedTag,
    MissingTag,
    TruncatedTemplate,
    decode,
    till_payload,
)
from keqr.crc import seal
from keqr.tlv import encode
from tests.keqr.vectors import VECTORS

HEAD = "000201" + "010211"
PSP = encode("28", "0008ke.go.qr" + "0106123456")
TAIL = "5303404" + "5802KE" + "5909TEST SHOP"


def test_equity_bank_payload() -> None:
    qr = decode(VECTORS["equity-ke-qr"])
    assert qr.initiation is Initiation.STATIC
    assert qr.kind is Kind.OTHER
    assert (qr.name, qr.city, qr.mcc, qr.currency, qr.country) == (
        "Thika Vivian Stores",
        "KE",
        "5411",
        "404",
        "KE",
    )
    assert qr.number is None
    assert [node.tag for node in qr.merchant_accounts] == ["29"]
    assert qr.value("29/68") == "2226665"
    assert qr.value("82/01") == "11062025T125906"


def test_safaricom_personal_payload() -> None:
    qr = decode(VECTORS["safaricom-p2p-sanitized"])
    assert qr.kind is Kind.SEND_MONEY  # 83/01 = 02
    assert qr.number == "9876543"
    assert qr.name == "Jane Elizabeth Doe_Po"
    assert qr.city is None
    assert qr.amount is None
    assert [node.tag for node in qr.merchant_accounts] == ["28", "29"]
    assert qr.value("83/00") == "m-pesa.com"
    assert qr.value("62/05") == "01"
    assert qr.value("99") is None
    assert qr.value("62/99") is None


def test_synthetic_till_without_marker_reads_as_till() -> None:
    qr = decode(VECTORS["synthetic-static-till"])
    assert (qr.kind, qr.number, qr.account, qr.amount) == (Kind.TILL, "123456", None, None)
    assert (qr.name, qr.city, qr.mcc) == ("TEST SHOP", "NAIROBI", "5411")
    assert not qr.is_dynamic


def test_synthetic_paybill_without_marker_reads_as_paybill() -> None:
    qr = decode(VECTORS["synthetic-dynamic-paybill"])
    assert (qr.kind, qr.number, qr.account) == (Kind.PAYBILL, "654321", "ACC12345")
    assert qr.amount == Decimal("150.00")
    assert qr.is_dynamic


def test_foreign_emvco_payload_decodes_with_its_own_currency() -> None:
    qr = decode(VECTORS["emvco-sample"])
    assert (qr.currency, qr.country, qr.name, qr.city) == ("156", "CN", "BEST TRANSPORT", "BEIJING")
    assert qr.amount == Decimal("23.72")
    assert qr.kind is Kind.OTHER


@pytest.mark.parametrize("name", ["pix-manual", "br-code-manual"])
def test_payload_without_point_of_initiation_is_not_ke_qr(name: str) -> None:
    with pytest.raises(MissingTag) as caught:
        decode(VECTORS[name])
    assert caught.value.tag == "01"


def test_bytes_are_read_as_utf8() -> None:
    assert decode(VECTORS["equity-ke-qr"].encode()).name == "Thika Vivian Stores"
    with pytest.raises(InvalidValue, match="not UTF-8"):
        decode(b"\xff\xfe")


def test_surrounding_whitespace_from_a_scanner_is_ignored() -> None:
    assert decode(VECTORS["equity-ke-qr"] + "\r\n").payload == VECTORS["equity-ke-qr"]


# --- Structure: each case is sealed with a correct CRC, so the structural fault is what shows. ---


def test_truncated_nested_template() -> None:
    payload = seal(HEAD + encode("28", "0008ke.go.qr01") + TAIL)
    with pytest.raises(TruncatedTemplate) as caught:
        decode(payload)
    assert caught.value.path == "28/01"
    assert "cut short" in str(caught.value)


def test_payload_cut_inside_the_crc_header() -> None:
    payload = till_payload("123456", "TEST SHOP")
    with pytest.raises(TruncatedTemplate) as caught:
        decode(payload[:-6])
    assert caught.value.path == "63"


def test_payload_cut_inside_the_crc_value() -> None:
    payload = till_payload("123456", "TEST SHOP")
    with pytest.raises(LengthOverrun) as caught:
        decode(payload[:-3])
    assert (caught.value.path, caught.value.declared, caught.value.available) == ("63", 4, 1)


def test_nested_length_overrun() -> None:
    payload = seal(HEAD + encode("28", "0008ke.go.qr0109123456") + TAIL)
    with pytest.raises(LengthOverrun) as caught:
        decode(payload)
    assert (caught.value.path, caught.value.declared, caught.value.available) == ("28/01", 9, 6)


@pytest.mark.parametrize(
    ("body", "complaint"),
    [("AB02xx", "ID 'AB' is not two digits"), ("010A11", "length '0A' is not two digits")],
)
def test_malformed_id_or_length(body: str, complaint: str) -> None:
    with pytest.raises(MalformedObject, match=complaint):
        decode(seal("000201" + body + PSP + TAIL))


def test_format_indicator_must_come_first() -> None:
    with pytest.raises(MisplacedTag, match="must come first") as caught:
        decode(seal("010211" + "000201" + PSP + TAIL))
    assert caught.value.tag == "00"


def test_crc_must_come_last() -> None:
    payload = seal(HEAD + PSP + TAIL) + "6002KE"
    with pytest.raises(MisplacedTag, match="must come last") as caught:
        decode(payload)
    assert caught.value.tag == "63"


@pytest.mark.parametrize(
    ("body", "tag"),
    [
        (HEAD + PSP + TAIL + "5909TEST SHOP", "59"),
        (HEAD + encode("28", "0008ke.go.qr01061234560106654321") + TAIL, "28/01"),
    ],
)
def test_repeated_tag(body: str, tag: str) -> None:
    with pytest.raises(MisplacedTag, match="more than once") as caught:
        decode(seal(body))
    assert caught.value.tag == tag


@pytest.mark.parametrize(
    ("payload", "tag"),
    [
        ("", "00"),
        (seal("010211" + PSP + TAIL), "00"),
        (HEAD + PSP + TAIL, "63"),
        (seal(HEAD + PSP + "5303404" + "5802KE"), "59"),
        (seal(HEAD + PSP + "5802KE" + "5909TEST SHOP"), "53"),
        (seal(HEAD + PSP + "5303404" + "5909TEST SHOP"), "58"),
        (seal("000201" + PSP + TAIL), "01"),
        (seal(HEAD + TAIL), "28"),
        (seal(HEAD + encode("28", "0106123456") + TAIL), "28/00"),
    ],
)
def test_missing_mandatory_tag(payload: str, tag: str) -> None:
    with pytest.raises(MissingTag) as caught:
        decode(payload)
    assert caught.value.tag == tag
    assert f"missing mandatory tag {tag}" in str(caught.value)


@pytest.mark.parametrize(
    ("body", "tag", "complaint"),
    [
        ("000202" + "010211" + PSP + TAIL, "00", "must be 01"),
        ("000201" + "010213" + PSP + TAIL, "01", "11 or 12"),
        (HEAD + PSP + "5303KES" + "5802KE" + "5909TEST SHOP", "53", "3 digits"),
        (HEAD + PSP + "5303404" + "5802K1" + "5909TEST SHOP", "58", "2 letters"),
        (HEAD + PSP + TAIL.replace("TEST SHOP", "         "), "59", "blank"),
        (HEAD + PSP + "5203541" + TAIL, "52", "4 digits"),
        (HEAD + PSP + "5403abc" + TAIL, "54", "not an amount"),
        (HEAD + PSP + "54040.00" + TAIL, "54", "more than 0"),
    ],
)
def test_invalid_values(body: str, tag: str, complaint: str) -> None:
    with pytest.raises(InvalidValue, match=complaint) as caught:
        decode(seal(body))
    assert caught.value.tag == tag


def test_crc_object_of_the_wrong_length() -> None:
    with pytest.raises(InvalidValue, match="4 hex digits"):
        decode(HEAD + PSP + TAIL + "6303ABC")


def test_every_decode_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="missing"):
        decode(HEAD)
    assert issubclass(DecodeError, ValueError)
