"""Till QR: full-screen KE-QR code, shop name and the till number in large digits."""

from __future__ import annotations

import flet as ft

from app.views.context import ViewContext, with_id

__all__ = ["till_qr_panel", "till_qr_view"]


def till_qr_panel(ctx: ViewContext) -> ft.Control:
    """The QR block (also shown inside a sale in progress)."""
    vm = ctx.app.till
    name = ft.Text("", size=26, weight=ft.FontWeight.BOLD, text_align=ft.TextAlign.CENTER)
    image = ft.Image(src=b"", width=300, height=300, fit=ft.BoxFit.CONTAIN)
    number = ft.Text("", size=44, weight=ft.FontWeight.BOLD, text_align=ft.TextAlign.CENTER)
    amount = ft.Text("", size=28, text_align=ft.TextAlign.CENTER)
    problem = ft.Text("", color=ft.Colors.ERROR, text_align=ft.TextAlign.CENTER)
    image_box = with_id("qr-image", image)

    def refresh() -> None:
        name.value = vm.name
        png = vm.png_base64
        image_box.visible = png is not None
        if png is not None:
            image.src = png
        number.value = vm.number_display
        amount.value = (
            ctx.t("qr.amount", amount=vm.amount_text) if vm.amount else ctx.t("qr.static")
        )
        if vm.error:
            problem.value = ctx.t(vm.error)
        elif not vm.number:
            problem.value = ctx.t("qr.unavailable")
        elif vm.qr_problem:
            problem.value = ctx.t("qr.invalid", detail=vm.qr_problem)
        else:
            problem.value = ""
        problem.visible = bool(problem.value)

    ctx.watch(vm, refresh)
    return ft.Column(
        [
            ft.Text(ctx.t("qr.title"), size=18),
            with_id("qr-name", name),
            image_box,
            ft.Text(ctx.t("qr.till"), size=16),
            with_id("qr-till-number", number),
            with_id("qr-amount", amount),
            with_id("qr-problem", problem),
        ],
        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        spacing=8,
    )


def till_qr_view(ctx: ViewContext) -> ft.Control:
    return ft.Column(
        [till_qr_panel(ctx)],
        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        scroll=ft.ScrollMode.AUTO,
        expand=True,
    )
