"""Owner: the shop's M-PESA balance, account by account."""

from __future__ import annotations

import flet as ft

from app.formatting import format_time
from app.theme import TOUCH
from app.views.context import ViewContext, with_id

__all__ = ["money_balance_view"]


def money_balance_view(ctx: ViewContext) -> ft.Control:
    vm = ctx.app.money.balance
    available = ft.Text("", size=32, weight=ft.FontWeight.BOLD)
    accounts = ft.Column(spacing=2)
    note = ft.Text("")
    today = ft.Column(spacing=2)
    error = ft.Text("", color=ft.Colors.ERROR)
    refresh_button = ft.OutlinedButton(
        ctx.t("common.refresh"), height=TOUCH, on_click=lambda e: ctx.run(vm.load, ctx.app.client)
    )

    def refresh() -> None:
        available.value = vm.available or ("…" if vm.loading else "")
        accounts.controls = [
            ft.Row([ft.Text(name, width=260), ft.Text(amount)]) for name, amount in vm.accounts
        ]
        note.value = (
            ctx.t("money.balance.as_of", time=format_time(vm.fetched_at)) if vm.fetched_at else ""
        )
        error.value = ctx.t(vm.error) if vm.error else ""
        # "Retry" only after a failure; otherwise it asks M-PESA again for a fresher figure.
        refresh_button.content = ctx.t("common.retry" if vm.error else "common.refresh")
        today.controls = [
            ft.Row([ft.Text(ctx.t(key), width=260), ft.Text(amount)]) for key, amount in vm.day
        ]

    ctx.watch(vm, refresh)
    ctx.run(vm.load, ctx.app.client)
    return ft.Column(
        [
            ft.Text(ctx.t("money.balance.title"), size=22, weight=ft.FontWeight.BOLD),
            ft.Text(ctx.t("money.balance.available")),
            with_id("balance-available", available),
            with_id("balance-accounts", accounts),
            note,
            with_id("balance-error", error),
            ft.Divider(),
            ft.Text(ctx.t("money.day.title"), size=18),
            with_id("balance-today", today),
            with_id("balance-refresh", refresh_button),
        ],
        scroll=ft.ScrollMode.AUTO,
        expand=True,
    )
