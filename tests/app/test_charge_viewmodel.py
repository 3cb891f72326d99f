"""The charge form: keypad amount, instant phone validation, recent customers."""

from __future__ import annotations

import pytest

from app.viewmodels.charge import MAX_AMOUNT, ChargeViewModel


def test_keypad_builds_whole_shillings_with_separators() -> None:
    vm = ChargeViewModel()
    seen: list[str] = []
    vm.subscribe(lambda: seen.append(vm.amount_display))
    for key in ["0", "1", "2", "00", "5"]:
        vm.press_digit(key)
    assert vm.amount == 12005
    assert vm.amount_display == "12,005"
    vm.backspace()
    assert vm.amount == 1200
    assert seen[-1] == "1,200"
    with pytest.raises(ValueError, match="keypad digit"):
        vm.press_digit(".")


def test_amount_over_the_mpesa_limit_is_explained() -> None:
    vm = ChargeViewModel()
    vm.set_amount_text(f"{MAX_AMOUNT + 1:,}")
    assert vm.amount_problem == "charge.amount_too_big"
    assert not vm.can_submit


def test_phone_is_validated_as_typed() -> None:
    vm = ChargeViewModel()
    vm.press_digit("1")
    assert vm.phone_problem is None  # empty is not an error yet
    vm.set_phone("0712")
    assert vm.phone_problem == "phone.too_short"
    vm.set_phone("0712 345 678")
    assert vm.phone_problem is None
    assert vm.phone_masked == "07** *** 678"
    assert vm.can_submit
    form = vm.form()
    assert (form.amount, form.msisdn) == (1, "254712345678")


def test_form_refuses_with_the_reason() -> None:
    vm = ChargeViewModel()
    with pytest.raises(ValueError, match=r"charge\.amount_zero"):
        vm.form()
    vm.press_digit("5")
    with pytest.raises(ValueError, match=r"phone\.empty"):
        vm.form()


def test_recent_customers_are_masked_and_deduplicated() -> None:
    vm = ChargeViewModel()
    vm.remember("254700000000")
    vm.remember("254711111111")
    vm.remember("254700000000")
    assert vm.recent_masked == ["07** *** 000", "07** *** 111"]
    vm.pick_recent(1)
    assert vm.msisdn == "254711111111"
    vm.reset()
    assert (vm.amount, vm.phone_text) == (0, "")
    assert len(vm.recent) == 2


def test_one_key_per_sale_until_the_sale_changes() -> None:
    vm = ChargeViewModel()
    vm.set_amount_text("1500")
    vm.set_phone("0712345678")
    key = vm.form().idempotency_key
    vm.set_phone("0712 345 678")  # the same customer written another way
    vm.set_amount_text("1,500")
    assert vm.form().idempotency_key == key == vm.intent_key
    vm.set_amount_text("1501")
    changed = vm.form().idempotency_key
    assert changed != key
    vm.set_reference("INV-7")
    assert vm.intent_key != changed
    with_reference = vm.intent_key
    vm.new_intent()
    assert vm.intent_key != with_reference
    fresh = vm.intent_key
    vm.reset()
    vm.set_amount_text("1501")
    vm.set_phone("0712345678")
    vm.set_reference("INV-7")
    assert vm.intent_key not in (fresh, with_reference)  # the next sale, even if it looks the same
