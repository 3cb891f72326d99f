"""Charge (the cashier's home): big amount keypad, the customer's phone, one tap to send."""

from __future__ import annotations

import flet as ft

from app.formatting import format_ksh
from app.theme import TOUCH
from app.viewmodels.charge import MAX_AMOUNT
from app.views.context import ViewContext, with_id

__all__ = ["charge_view"]

_KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "00", "0", "back"]


def charge_view(ctx: ViewContext) -> ft.Control:
    vm = ctx.app.charge
    amount = ft.TextField(
        label=ctx.t("charge.amount"),
        prefix="KSh ",
        text_size=36,
        keyboard_type=ft.KeyboardType.NUMBER,
        text_align=ft.TextAlign.RIGHT,
    )
    amount_problem = ft.Text("", color=ft.Colors.ERROR)
    phone = ft.TextField(
        label=ctx.t("charge.phone"),
        hint_text=ctx.t("charge.phone_hint"),
        keyboard_type=ft.KeyboardType.PHONE,
        value=vm.phone_text,
        text_size=22,
    )
    reference = ft.TextField(label=ctx.t("charge.reference"), value=vm.reference, max_length=12)
    submit = ft.FilledButton(ctx.t("charge.submit_empty"), height=TOUCH + 8, expand=True)
    form_error = ft.Text("", color=ft.Colors.ERROR)
    recent = ft.Row(wrap=True, spacing=8)

    def typed_amount(_: object) -> None:
        vm.set_amount_text(amount.value or "")
        shown = vm.amount_display if vm.amount else ""
        if (amount.value or "") != shown:
            amount.value = shown  # thousands separators as the cashier types

    amount.on_change = typed_amount
    phone.on_change = lambda e: vm.set_phone(phone.value or "")
    reference.on_change = lambda e: vm.set_reference(reference.value or "")

    async def charge(_: ft.Event[ft.FilledButton] | None = None) -> None:
        await ctx.app.charge_customer()
        ctx.update()

    submit.on_click = charge
    # Enter on a hardware keyboard charges too (desktop tills, tablets with keyboards).
    phone.on_submit = charge
    reference.on_submit = charge

    def press(key: str) -> None:
        if key == "back":
            vm.backspace()
        else:
            vm.press_digit(key)
        amount.value = vm.amount_display if vm.amount else ""

    def key_button(key: str) -> ft.Control:
        label = ft.Icon(ft.Icons.BACKSPACE_OUTLINED) if key == "back" else ft.Text(key, size=26)
        button = ft.OutlinedButton(
            content=label, height=TOUCH + 8, expand=True, on_click=lambda e, k=key: press(k)
        )
        return with_id(f"keypad-{key}", button)

    keypad = ft.Column(
        [ft.Row([key_button(k) for k in _KEYS[i : i + 3]]) for i in range(0, 12, 3)],
        spacing=8,
    )

    def pick(index: int) -> None:
        vm.pick_recent(index)
        phone.value = vm.phone_text

    def refresh() -> None:
        problem = vm.amount_problem
        amount_problem.value = (
            ctx.t(problem, limit=format_ksh(MAX_AMOUNT)) if vm.amount and problem else ""
        )
        amount_problem.visible = bool(amount_problem.value)
        phone_problem = vm.phone_problem
        phone.error = ctx.t(phone_problem) if phone_problem else None
        phone.helper = ctx.t("phone.ok", masked=vm.phone_masked) if vm.msisdn else None
        submit.content = (
            ctx.t("charge.submit", amount=vm.submit_label_amount)
            if vm.amount
            else ctx.t("charge.submit_empty")
        )
        submit.disabled = not vm.can_submit
        form_error.value = ctx.t(ctx.app.charge_error) if ctx.app.charge_error else ""
        recent.controls = [
            with_id(
                f"charge-recent-{i}",
                ft.OutlinedButton(masked, height=TOUCH - 8, on_click=lambda e, i=i: pick(i)),
            )
            for i, masked in enumerate(vm.recent_masked)
        ]

    ctx.watch(vm, refresh)
    amount.value = vm.amount_display if vm.amount else ""
    return ft.Column(
        [
            ft.Text(ctx.t("charge.title"), size=22, weight=ft.FontWeight.BOLD),
            with_id("charge-amount", amount),
            amount_problem,
            keypad,
            with_id("charge-phone", phone),
            ft.Text(ctx.t("charge.recent"), size=14) if vm.recent else ft.Container(),
            recent,
            with_id("charge-reference", reference),
            form_error,
            ft.Row([with_id("charge-submit", submit)]),
        ],
        spacing=12,
        scroll=ft.ScrollMode.AUTO,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        width=460,
        expand=True,
    )
