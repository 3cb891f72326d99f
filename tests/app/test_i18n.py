"""Every string exists in English and Kiswahili with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

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


def test_every_literal_key_the_app_asks_for_exists() -> None:
    """Catch a mistyped key in a view or view-model (it would show as the raw key on screen)."""
    root = Path(__file__).resolve().parents[2] / "app"
    pattern = re.compile(r"""(?:\.t|\bt)\(\s*["']([a-z_]+(?:\.[a-z_0-9]+)+)["']""")
    sections = "signin|charge|phone|payment|reason|qr|feed|takings|tx|team|settings|common|error"
    keys = re.compile(rf"""["']((?:{sections}|storage|role|money)\.[a-z_.]+)["']""")
    asked: set[str] = set()
    for path in root.rglob("*.py"):
        text = path.read_text()
        asked |= set(pattern.findall(text)) | set(keys.findall(text))
    missing = sorted(key for key in asked if key not in CATALOGUE["en"])
    assert missing == []
    assert len(asked) > 50  # the scan found the app's keys at all
