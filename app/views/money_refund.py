"""Owner: refund a sale chosen in Transactions — amount, confirm, then M-PESA's answer."""

from __future__ import annotations

import flet as ft

from app.formatting import format_ksh
from app.theme import FAILED_RED, PAID_GREEN, TOUCH
from app.views.context import ViewContext, left_aligned, with_id

__all__ = ["money_refund_view"]


def money_refund_view(ctx: ViewContext) -> ft.Control:
    vm = ctx.app.money.refund
    title = ft.Text(ctx.t("money.refund.title"), size=22, weight=ft.FontWeight.BOLD)
    sale = ft.Text("", size=18)
    amount = ft.TextField(
        label=ctx.t("money.refund.amount"),
        value=vm.amount_text,
        keyboard_type=ft.KeyboardType.NUMBER,
        width=220,
    )
    # Hidden controls are hidden through their Semantics wrapper: Flutter refuses an invisible
    # Semantics content ("Semantics.content must be provided and visible").
    ask = with_id(
        "refund-ask",
        ft.FilledButton(
            ctx.t("money.refund.ask"), height=TOUCH, on_click=lambda e: vm.ask(amount.value or "")
        ),
    )
    question = ft.Text("", size=18)
    yes = ft.FilledButton(
        ctx.t("money.refund.confirm"),
        height=TOUCH,
        on_click=lambda e: ctx.run(vm.confirm, ctx.app.client),
    )
    no = ft.OutlinedButton(ctx.t("common.cancel"), height=TOUCH, on_click=lambda e: vm.back())
    confirm_box = ft.Container(
        ft.Column([question, ft.Row([with_id("refund-yes", yes), with_id("refund-no", no)])]),
        padding=12,
        border_radius=12,
        bgcolor=ft.Colors.SECONDARY_CONTAINER,
    )
    status = ft.Text("", size=20, weight=ft.FontWeight.BOLD)
    detail = ft.Text("")
    back = ft.OutlinedButton(
        ctx.t("nav.transactions"), height=TOUCH, on_click=lambda e: ctx.app.navigate("transactions")
    )

    def refresh() -> None:
        payment = vm.payment
        if payment is None:
            sale.value = ctx.t("money.refund.pick")
        else:
            sale.value = f"{format_ksh(int(payment.amount))} · {payment.receipt or ''}"
        editing = vm.state == "idle"
        amount.disabled = not editing
        ask.visible = editing and payment is not None
        confirm_box.visible = vm.state == "confirming"
        if vm.state == "confirming" and vm.amount is not None:
            key = "money.refund.question_full" if vm.is_full else "money.refund.question_part"
            question.value = ctx.t(key, amount=format_ksh(vm.amount))
        status.value = ctx.t(f"money.refund.state.{vm.state}") if vm.state != "idle" else ""
        status.color = {"refunded": PAID_GREEN, "failed": FAILED_RED}.get(vm.state)
        detail.value = ctx.t(vm.error) if vm.error else vm.outcome_text
        detail.color = ft.Colors.ERROR if vm.error else None

    ctx.watch(vm, refresh)
    return left_aligned(
        ft.Column(
            [
                title,
                with_id("refund-sale", sale),
                with_id("refund-amount", amount),
                ask,
                confirm_box,
                with_id("refund-status", status),
                with_id("refund-detail", detail),
                back,
            ],
            scroll=ft.ScrollMode.AUTO,
            expand=True,
        )
    )
