"""Owner: transactions, searched by receipt or the phone's last digits."""

from __future__ import annotations

import flet as ft

from app.formatting import format_time
from app.views.context import ViewContext, with_id

__all__ = ["transactions_view"]


def transactions_view(ctx: ViewContext) -> ft.Control:
    vm = ctx.app.transactions
    query = ft.TextField(label=ctx.t("tx.search"), value=vm.query, prefix_icon=ft.Icons.SEARCH)
    items = ft.Column(spacing=2)
    error = ft.Text("", color=ft.Colors.ERROR)

    async def search(_: object = None) -> None:
        await vm.search(ctx.app.client, query.value or "")

    query.on_submit = search
    query.on_change = lambda e: ctx.run(vm.search, ctx.app.client, query.value or "")

    def refresh() -> None:
        error.value = ctx.t(vm.error) if vm.error else ""
        error.visible = bool(vm.error)
        rows: list[ft.Control] = []
        for index, payment in enumerate(vm.items):
            amount, receipt, phone = vm.describe_item(payment)
            when = getattr(payment, "paid_at", None) or getattr(payment, "created_at", None)
            rows.append(
                with_id(
                    f"tx-item-{index}",
                    ft.ListTile(
                        title=ft.Text(
                            f"{amount} · {ctx.t(receipt)}"  # a receipt comes back unchanged
                            + (
                                f" · {ctx.t('money.refunded_tag')}"
                                if getattr(payment, "refunded", 0)
                                else ""
                            )
                        ),
                        subtitle=ft.Text(f"{phone} · {format_time(when) if when else ''}"),
                        min_height=56,
                        # The owner refunds a sale from here (the refund screen confirms first).
                        on_click=lambda e, p=payment: ctx.app.open_refund(p),
                    ),
                )
            )
        items.controls = rows or [ft.Text(ctx.t("tx.empty"))]

    ctx.watch(vm, refresh)
    ctx.run(vm.search, ctx.app.client, None)
    return ft.Column(
        [
            ft.Text(ctx.t("tx.title"), size=22, weight=ft.FontWeight.BOLD),
            with_id("tx-search", query),
            error,
            with_id("tx-list", items),
        ],
        scroll=ft.ScrollMode.AUTO,
        expand=True,
    )
