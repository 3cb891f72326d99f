"""Anyone: is the M-PESA message a customer shows real, and paid to this till? (read-only)"""

from __future__ import annotations

import flet as ft

from app.theme import FAILED_RED, PAID_GREEN, TOUCH
from app.views.context import ViewContext, with_id

__all__ = ["money_verify_view"]


def money_verify_view(ctx: ViewContext) -> ft.Control:
    vm = ctx.app.money.verify
    code = ft.TextField(
        label=ctx.t("money.verify.code"),
        value=vm.code,
        capitalization=ft.TextCapitalization.CHARACTERS,
        max_length=12,
        width=260,
    )

    async def check(_: object = None) -> None:
        await vm.check(ctx.app.client, code.value or "")

    code.on_submit = check
    button = ft.FilledButton(ctx.t("money.verify.check"), height=TOUCH, on_click=check)
    verdict = ft.Text("", size=22, weight=ft.FontWeight.BOLD)
    message = ft.Text("", size=18)

    def refresh() -> None:
        button.disabled = vm.checking
        if vm.checking:
            verdict.value, verdict.color = ctx.t("common.loading"), None
        elif vm.verdict:
            verdict.value = ctx.t(f"money.verify.{vm.verdict}")
            verdict.color = PAID_GREEN if vm.good else FAILED_RED
        else:
            verdict.value = ""
        message.value = ctx.t(vm.error) if vm.error else vm.message
        message.color = ft.Colors.ERROR if vm.error else None

    ctx.watch(vm, refresh)
    return ft.Column(
        [
            ft.Text(ctx.t("money.verify.title"), size=22, weight=ft.FontWeight.BOLD),
            ft.Row([with_id("verify-code", code), with_id("verify-check", button)], wrap=True),
            with_id("verify-verdict", verdict),
            with_id("verify-message", message),
        ],
        scroll=ft.ScrollMode.AUTO,
        expand=True,
    )
