"""Owner: the team — add a cashier, set a PIN, disable or enable.

Laid out for a 480 px phone: every field and button takes the full width on its own line, so a
PIN's counter sits under its own field, and each cashier is a card whose actions share one row
of equal buttons at least 48 px tall.
"""

from __future__ import annotations

from typing import Any

import flet as ft

from app.theme import TOUCH
from app.views.context import ViewContext, with_id

__all__ = ["team_view"]


def _stacked(controls: list[ft.Control], spacing: int = 8) -> ft.Column:
    """One control per line, each as wide as the screen."""
    return ft.Column(controls, spacing=spacing, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)


def _pin_field(ctx: ViewContext, label_key: str = "team.pin") -> ft.TextField:
    return ft.TextField(
        label=ctx.t(label_key),
        password=True,
        max_length=6,
        keyboard_type=ft.KeyboardType.NUMBER,
    )


def team_view(ctx: ViewContext) -> ft.Control:
    vm = ctx.app.team
    username = ft.TextField(label=ctx.t("team.username"))
    pin = _pin_field(ctx)
    members = _stacked([], spacing=12)
    message = ft.Text("")
    shown_message = with_id("team-message", message)

    async def add(_: object) -> None:
        if await vm.add(ctx.app.client, username.value or "", pin.value or ""):
            username.value, pin.value = "", ""
        ctx.update()

    def member_row(cashier: Any) -> ft.Control:
        new_pin = _pin_field(ctx)
        disabled = bool(getattr(cashier, "disabled", False))
        cashier_id = int(cashier.id)
        name = cashier.username
        set_pin = ft.OutlinedButton(
            ctx.t("team.set_pin"),
            height=TOUCH,
            expand=True,
            on_click=lambda e: ctx.run(vm.set_pin, ctx.app.client, cashier_id, new_pin.value or ""),
        )
        toggle = ft.OutlinedButton(
            ctx.t("team.enable" if disabled else "team.disable"),
            height=TOUCH,
            expand=True,
            on_click=lambda e: ctx.run(vm.set_disabled, ctx.app.client, cashier_id, not disabled),
        )
        label = name + (f" ({ctx.t('team.disabled')})" if disabled else "")
        return with_id(
            f"team-member-{name}",
            ft.Container(
                _stacked(
                    [
                        ft.Text(label, size=18, weight=ft.FontWeight.W_500),
                        with_id(f"team-pin-{name}", new_pin),
                        ft.Row(
                            [
                                with_id(f"team-set-pin-{name}", set_pin),
                                with_id(f"team-toggle-{name}", toggle),
                            ],
                            spacing=12,
                        ),
                    ]
                ),
                padding=12,
                border_radius=12,
                border=ft.Border.all(1, ft.Colors.OUTLINE_VARIANT),
            ),
        )

    def refresh() -> None:
        members.controls = [member_row(c) for c in vm.cashiers]
        text = vm.error or vm.notice
        message.value = ctx.t(text) if text else ""
        message.color = ft.Colors.ERROR if vm.error else None
        # An empty line would only leave a gap under the button.
        shown_message.visible = bool(text)

    ctx.watch(vm, refresh)
    ctx.run(vm.load, ctx.app.client)
    return ft.Column(
        [
            ft.Text(ctx.t("team.title"), size=22, weight=ft.FontWeight.BOLD),
            with_id("team-list", members),
            ft.Divider(),
            ft.Text(ctx.t("team.add"), size=18),
            with_id("team-username", username),
            with_id("team-pin", pin),
            with_id(
                "team-add",
                ft.FilledButton(ctx.t("team.add"), height=TOUCH, on_click=add),
            ),
            shown_message,
        ],
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        scroll=ft.ScrollMode.AUTO,
        expand=True,
    )
