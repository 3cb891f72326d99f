"""Every string exists in English and Kiswahili with the same placeholders."""

from __future__ import annotations

from app.i18n import CATALOGUE, Translator, placeholders


def test_both_languages_have_the_same_keys() -> None:
    assert set(CATALOGUE["en"]) == set(CATALOGUE["sw"])


def test_placeholders_match_across_languages() -> None:
    mismatched = [
        key
        for key, text in CATALOGUE["en"].items()
        if placeholders(text) != placeholders(CATALOGUE["sw"][key])
    ]
    assert mismatched == []


def test_translations_are_not_left_in_english() -> None:
    # Brand names and pure formats ("{amount} · {phone}") may be identical; sentences may not.
    same = [
        key
        for key, text in CATALOGUE["en"].items()
        if CATALOGUE["sw"][key] == text
        and len(text.replace("{", "").split()) > 3
        and not text.startswith("{")
    ]
    assert same == []


def test_translator_fills_values_and_falls_back() -> None:
    t = Translator("sw")
    assert t("charge.submit", amount="KSh 100") == "Lipisha KSh 100"
    assert Translator("xx")("signin.submit") == "Sign in"
    assert t("no.such.key") == "no.such.key"
