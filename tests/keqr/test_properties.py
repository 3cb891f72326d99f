"""Property tests: any name, number and amount we accept survives encode → image → decode."""

from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keqr import (
    DecodeError,
    InvalidField,
    Kind,
    decode,
    merchant_text,
    paybill_payload,
    render_png,
    till_payload,
)
from tests.keqr.scan import scan_png

# Timing varies on a shared 2-core machine, so no per-example deadline.
FAST = settings(max_examples=150, deadline=None)
IMAGES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

numbers = st.from_regex(r"[0-9]{5,7}", fullmatch=True)
shillings = st.integers(min_value=1, max_value=10**9)
decimal_amounts = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("9999999999.99"), places=2
)
amounts = st.one_of(st.none(), shillings, decimal_amounts, decimal_amounts.map(str))
# Shop names from many scripts, including ones with no Latin form at all.
names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=60
) | st.sampled_from(["Duka la Mama Ñjeri — Café", "Mkate & Maziwa Ltd", "Ærø Øl Ünd Söhne GmbH"])
accounts = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 #./-]{0,18}[A-Za-z0-9]?", fullmatch=True)


def _expected_amount(amount: object) -> Decimal | None:
    return None if amount is None else Decimal(str(amount)).quantize(Decimal("0.01"))


@FAST
@given(names)
def test_merchant_text_is_printable_ascii_within_limit_and_stable(name: str) -> None:
    try:
        written = merchant_text(name, 25)
    except InvalidField as error:
        assert error.field == "name"
        return
    assert 1 <= len(written) <= 25
    assert all(" " <= ch <= "~" for ch in written)
    assert written == written.strip()
    assert merchant_text(written, 25) == written  # applying the rule twice changes nothing


@FAST
@given(names)
def test_trimming_keeps_a_prefix_of_the_full_transliteration(name: str) -> None:
    try:
        full = merchant_text(name, 10_000)
    except InvalidField:
        return
    assert full.startswith(merchant_text(name, 25))


@FAST
@given(numbers, names, amounts)
def test_till_round_trip_through_text(till: str, name: str, amount: object) -> None:
    try:
        payload = till_payload(till, name, amount)  # type: ignore[arg-type]
    except InvalidField as error:
        assert error.field == "name"  # the only input here that may be unwritable
        return
    qr = decode(payload)
    assert (qr.kind, qr.number, qr.account) == (Kind.TILL, till, None)
    assert qr.name == merchant_text(name, 25)
    assert qr.amount == _expected_amount(amount)
    assert qr.is_dynamic is (amount is not None)


@FAST
@given(numbers, accounts, amounts)
def test_paybill_round_trip_through_text(paybill: str, account: str, amount: object) -> None:
    payload = paybill_payload(paybill, account, "Kenya Power", amount)  # type: ignore[arg-type]
    qr = decode(payload)
    assert (qr.kind, qr.number, qr.account) == (Kind.PAYBILL, paybill, account.strip())
    assert qr.amount == _expected_amount(amount)


@IMAGES
@given(numbers, names, amounts, st.booleans())
def test_round_trip_through_a_png_and_a_real_decoder(
    number: str, name: str, amount: object, paybill: bool
) -> None:
    try:
        if paybill:
            payload = paybill_payload(number, "ACC-1", name, amount)  # type: ignore[arg-type]
        else:
            payload = till_payload(number, name, amount)  # type: ignore[arg-type]
    except InvalidField:
        return
    scanned = scan_png(render_png(payload, module_px=3))
    assert scanned == payload
    qr = decode(scanned)
    assert qr.number == number
    assert qr.name == merchant_text(name, 25)
    assert qr.amount == _expected_amount(amount)
    assert qr.kind is (Kind.PAYBILL if paybill else Kind.TILL)


@FAST
@given(numbers, amounts, st.data())
def test_any_single_character_change_is_caught(
    till: str, amount: object, data: st.DataObject
) -> None:
    payload = till_payload(till, "Duka la Mama", amount)  # type: ignore[arg-type]
    position = data.draw(st.integers(min_value=0, max_value=len(payload) - 1))
    replacement = data.draw(st.characters(min_codepoint=0x20, max_codepoint=0x7E))
    if replacement.upper() == payload[position].upper():
        return  # the same character (a lowercase CRC digit is still the same CRC)
    damaged = payload[:position] + replacement + payload[position + 1 :]
    with pytest.raises(DecodeError):
        decode(damaged)


@FAST
@given(st.text(max_size=120))
def test_decoding_arbitrary_text_never_crashes(text: str) -> None:
    with contextlib.suppress(DecodeError):
        decode(text)


@FAST
@given(numbers, amounts, st.data())
def test_every_cut_short_payload_is_rejected(
    till: str, amount: object, data: st.DataObject
) -> None:
    payload = till_payload(till, "Duka la Mama", amount)  # type: ignore[arg-type]
    cut = data.draw(st.integers(min_value=0, max_value=len(payload) - 1))
    with pytest.raises(DecodeError):
        decode(payload[:cut])
