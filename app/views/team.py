"""Owner: the team — add a cashier, set a PIN, disable or enable."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.theme import TOUCH
from app.views.context import ViewContext, with_id

__all__ = ["team_view"]


def team_view(ctx: ViewContext) -> ft.Control:
    vm = ctx.app.team
    username = ft.TextField(label=ctx.t("team.username"), width=220)
    pin = ft.TextField(label=ctx.t("team.pin"), password=True, max_length=6, width=190)
    members = ft.Column(spacing=4)
    message = ft.Text("")

    async def add(_: object) -> None:
        if await vm.add(ctx.app.client, username.value or "", pin.value or ""):
            username.value, pin.value = "", ""
        ctx.update()

    def member_row(cashier: Any) -> ft.Control:
        new_pin = ft.TextField(label=ctx.t("team.pin"), password=True, max_length=6, width=190)
        disabled = bool(getattr(cashier, "disabled", False))
        cashier_id = int(cashier.id)
        name = cashier.username
        set_pin = ft.OutlinedButton(
            ctx.t("team.set_pin"),
            height=TOUCH,
            on_click=lambda e: ctx.run(vm.set_pin, ctx.app.client, cashier_id, new_pin.value or ""),
        )
        toggle = ft.OutlinedButton(
            ctx.t("team.enable" if disabled else "team.disable"),
            height=TOUCH,
            on_click=lambda e: ctx.run(vm.set_disabled, ctx.app.client, cashier_id, not disabled),
        )
        label = name + (f" ({ctx.t('team.disabled')})" if disabled else "")
        return with_id(
            f"team-member-{name}",
            ft.Row(
                [
                    ft.Text(label, width=200, size=18),
                    with_id(f"team-pin-{name}", new_pin),
                    with_id(f"team-set-pin-{name}", set_pin),
                    with_id(f"team-toggle-{name}", toggle),
                ],
                wrap=True,
            ),
        )

    def refresh() -> None:
        members.controls = [member_row(c) for c in vm.cashiers]
        text = vm.error or vm.notice
        message.value = ctx.t(text) if text else ""
        message.color = ft.Colors.ERROR if vm.error else None

    ctx.watch(vm, refresh)
    ctx.run(vm.load, ctx.app.client)
    return ft.Column(
        [
            ft.Text(ctx.t("team.title"), size=22, weight=ft.FontWeight.BOLD),
            with_id("team-list", members),
            ft.Divider(),
            ft.Text(ctx.t("team.add"), size=18),
            ft.Row(
                [
                    with_id("team-username", username),
                    with_id("team-pin", pin),
                    with_id(
                        "team-add",
                        ft.FilledButton(ctx.t("team.add"), height=TOUCH, on_click=add),
                    ),
                ],
                wrap=True,
            ),
            with_id("team-message", message),
        ],
        scroll=ft.ScrollMode.AUTO,
        expand=True,
    )
