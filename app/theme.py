"""Light and dark themes: M-PESA green as the seed, large type, 48 px+ touch targets."""

from __future__ import annotations

import flet as ft

__all__ = ["PAID_GREEN", "TOUCH", "apply_theme"]

SEED = "#1B8A3A"  # close to M-PESA's green, readable on both themes
PAID_GREEN = "#1E9E46"
FAILED_RED = "#C62828"
TOUCH = 56  # every tappable thing is at least this tall (Material asks for 48)

_MODES = {"light": ft.ThemeMode.LIGHT, "dark": ft.ThemeMode.DARK, "system": ft.ThemeMode.SYSTEM}


def apply_theme(page: ft.Page, theme: str) -> None:
    """Set both themes on the page and pick the mode (`light`, `dark` or `system`)."""
    page.theme = ft.Theme(color_scheme_seed=SEED)
    page.dark_theme = ft.Theme(color_scheme_seed=SEED)
    page.theme_mode = _MODES.get(theme, ft.ThemeMode.LIGHT)
