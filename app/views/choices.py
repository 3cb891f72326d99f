"""A row of full-height choice buttons (language, theme): the chosen one is filled."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from app.theme import TOUCH
from app.views.context import with_id

__all__ = ["choice_row"]


def choice_row(
    prefix: str, options: dict[str, str], selected: str, pick: Callable[[str], None]
) -> ft.Control:
    """One full-height button per option (segmented buttons are under 48 px tall)."""
    buttons: list[ft.Control] = []
    for value, label in options.items():
        kind = ft.FilledTonalButton if value == selected else ft.OutlinedButton
        button = kind(label, height=TOUCH, on_click=lambda e, v=value: pick(v))
        buttons.append(with_id(f"{prefix}-{value}", button))
    return ft.Row(buttons, wrap=True, spacing=8)
