"""Payment in progress: sent → waiting (countdown) → paid (big green tick) or failed (why, next)."""

from __future__ import annotations

import asyncio

import flet as ft

from app.theme import FAILED_RED, PAID_GREEN, TOUCH
from app.viewmodels.payment import PaymentState, PaymentViewModel
from app.views.context import ViewContext, with_id
from app.views.till_qr import till_qr_panel

__all__ = ["payment_view"]


def _match_box(ctx: ViewContext, vm: PaymentViewModel, text: ft.Text) -> ft.Container:
    """The "is this till payment the sale?" offer shown while the QR is up."""
    accept = ft.FilledButton(
        ctx.t("payment.match_accept"), height=TOUCH, on_click=lambda e: vm.accept_match()
    )
    ignore = ft.OutlinedButton(
        ctx.t("payment.match_ignore"), height=TOUCH, on_click=lambda e: vm.ignore_match()
    )
    return ft.Container(
        ft.Column(
            [
                text,
                ft.Row(
                    [
                        with_id("payment-match-accept", accept),
                        with_id("payment-match-ignore", ignore),
                    ]
                ),
            ]
        ),
        padding=12,
        border_radius=12,
        bgcolor=ft.Colors.SECONDARY_CONTAINER,
        visible=False,
    )


def _look(ctx: ViewContext, vm: PaymentViewModel) -> tuple[str, ft.IconData, str | None]:
    """The status line, icon and colour for the sale's state."""
    state = vm.state
    if state is PaymentState.SENDING:
        return ctx.t("payment.sending"), ft.Icons.SEND, None
    if state is PaymentState.WAITING:
        seconds = vm.seconds_left
        text = (
            ctx.t("payment.waiting", seconds=seconds) if seconds else ctx.t("payment.waiting_late")
        )
        return text, ft.Icons.PHONE_ANDROID, None
    if state is PaymentState.PAID:
        return ctx.t("payment.paid"), ft.Icons.CHECK_CIRCLE, PAID_GREEN
    return ctx.t("payment.failed"), ft.Icons.CANCEL, FAILED_RED


def _actions(ctx: ViewContext) -> tuple[ft.Semantics, ft.Semantics, ft.Semantics, ft.Semantics]:
    """Show QR / back, try again, new sale: wrapped so `refresh` can show or hide each."""
    app = ctx.app

    async def try_again(_: object) -> None:
        await app.try_again()
        ctx.update()

    show_qr = ft.OutlinedButton(
        ctx.t("payment.show_qr"), height=TOUCH, on_click=lambda e: app.show_qr_for_sale(True)
    )
    back = ft.OutlinedButton(
        ctx.t("payment.back_to_stk"), height=TOUCH, on_click=lambda e: app.show_qr_for_sale(False)
    )
    retry = ft.FilledButton(ctx.t("payment.try_again"), height=TOUCH, on_click=try_again)
    new_sale = ft.FilledButton(
        ctx.t("payment.new_sale"), height=TOUCH, on_click=lambda e: app.new_sale()
    )
    return (
        with_id("payment-show-qr", show_qr),
        with_id("payment-back", back),
        with_id("payment-try-again", retry),
        with_id("payment-new-sale", new_sale),
    )


def payment_view(ctx: ViewContext) -> ft.Control:
    app = ctx.app
    vm = app.payment
    if vm is None:
        return ft.Text(ctx.t("charge.amount_zero"))
    icon = ft.Icon(ft.Icons.PHONE_ANDROID, size=120)
    progress = ft.ProgressRing(width=48, height=48)
    status = ft.Text("", size=30, weight=ft.FontWeight.BOLD, text_align=ft.TextAlign.CENTER)
    amount = ft.Text(vm.amount_text, size=40, weight=ft.FontWeight.BOLD)
    receipt = ft.Text("", size=24)
    details = ft.Text("", size=18, text_align=ft.TextAlign.CENTER)
    reason = ft.Text("", size=20, text_align=ft.TextAlign.CENTER)
    match_text = ft.Text("", size=18)
    match_box = _match_box(ctx, vm, match_text)
    qr = ft.Container(till_qr_panel(ctx), visible=False)
    show_qr_box, back_box, retry_box, new_sale_box = _actions(ctx)
    receipt_box = with_id("payment-receipt", receipt)
    reason_box = with_id("payment-reason", reason)

    def refresh() -> None:
        state = vm.state
        progress.visible = state in (PaymentState.SENDING, PaymentState.WAITING)
        status.value, icon.icon, icon.color = _look(ctx, vm)
        status.color = icon.color
        receipt.value = ctx.t("payment.receipt", receipt=vm.receipt) if vm.receipt else ""
        receipt_box.visible = bool(vm.receipt)
        details.value = (
            ctx.t("payment.from", phone=vm.phone_masked, time=vm.paid_time)
            if state is PaymentState.PAID
            else vm.phone_masked
        )
        if state is PaymentState.FAILED:
            reason.value = (
                ctx.t(vm.error_message)
                if vm.error_message
                else ctx.t(vm.reason_key or "reason.unknown", detail=vm.reason_detail)
            )
        else:
            reason.value = ctx.t("payment.matched") if vm.matched else ""
        reason_box.visible = bool(reason.value)
        offer = vm.match_offer
        match_box.visible = offer is not None
        if offer is not None:
            match_text.value = ctx.t(
                "payment.match_offer",
                amount=vm.amount_text,
                payer=offer.payer or "—",
                receipt=offer.receipt,
            )
        qr.visible = vm.showing_qr and not vm.finished
        show_qr_box.visible = not vm.showing_qr and state is not PaymentState.PAID
        back_box.visible = vm.showing_qr and not vm.finished
        retry_box.visible = state is PaymentState.FAILED

    ctx.watch(vm, refresh)

    async def countdown() -> None:
        # Redraw once a second while waiting. Once the prompt has expired, ask the backend every
        # few seconds too, in case the outcome event is slow (the backend reconciles meanwhile).
        since_check = 0
        while ctx.app.payment is vm and not vm.finished:
            await asyncio.sleep(1)
            vm.tick()
            since_check += 1
            if vm.state is PaymentState.WAITING and vm.seconds_left == 0 and since_check >= 5:
                since_check = 0
                await ctx.app.refresh_payment()

    ctx.run(countdown)
    return ft.Column(
        [
            ft.Row([icon, progress], alignment=ft.MainAxisAlignment.CENTER),
            with_id("payment-status", status),
            with_id("payment-amount", amount),
            receipt_box,
            with_id("payment-details", details),
            reason_box,
            match_box,
            qr,
            ft.Row(
                [show_qr_box, back_box],
                alignment=ft.MainAxisAlignment.CENTER,
            ),
            ft.Row(
                [retry_box, new_sale_box],
                alignment=ft.MainAxisAlignment.CENTER,
            ),
        ],
        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        spacing=12,
        scroll=ft.ScrollMode.AUTO,
        expand=True,
    )
