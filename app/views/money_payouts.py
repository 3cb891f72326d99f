"""Owner: pay wages (B2C) or a supplier (B2B) — form, confirm the draft, then M-PESA's answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.formatting import format_ksh, format_time
from app.phone import mask_msisdn
from app.theme import FAILED_RED, PAID_GREEN, TOUCH
from app.views.context import ViewContext, with_id

__all__ = ["money_payouts_view"]


def _text(vm: Any, attribute: str, label: str, **kwargs: Any) -> ft.TextField:
    """A text box bound to `vm.form.<attribute>`."""
    box = ft.TextField(label=label, value=getattr(vm.form, attribute), **kwargs)
    box.on_change = lambda e: setattr(vm.form, attribute, box.value or "")
    return box


def _choice(vm: Any, attribute: str, label: str, options: dict[str, str]) -> ft.Dropdown:
    """A drop-down bound to `vm.form.<attribute>`; picking redraws (fields show or hide)."""
    box = ft.Dropdown(
        label=label,
        value=getattr(vm.form, attribute),
        width=260,
        options=[ft.DropdownOption(key=key, text=text) for key, text in options.items()],
    )

    def pick(e: Any) -> None:
        setattr(vm.form, attribute, box.value or "")
        vm.changed()

    box.on_select = pick
    return box


def money_payouts_view(ctx: ViewContext) -> ft.Control:
    vm = ctx.app.money.payouts
    t = ctx.t
    kind = _choice(
        vm,
        "kind",
        t("money.payout.kind"),
        {"b2c": t("money.payout.to_phone"), "b2b": t("money.payout.to_business")},
    )
    purpose = _choice(
        vm,
        "purpose",
        t("money.payout.purpose"),
        {"salary": t("money.payout.salary"), "business": t("money.payout.business")},
    )
    receiver_kind = _choice(
        vm, "receiver_kind", t("money.payout.receiver_kind"), {"paybill": "Paybill", "till": "Till"}
    )
    phone = _text(vm, "phone", t("money.payout.phone"))
    receiver = _text(vm, "receiver", t("money.payout.receiver"))
    account = _text(vm, "account", t("money.payout.account"))
    amount = _text(
        vm, "amount_text", t("money.payout.amount"), keyboard_type=ft.KeyboardType.NUMBER
    )
    prepare = ft.FilledButton(
        ctx.t("money.payout.prepare"),
        height=TOUCH,
        on_click=lambda e: ctx.run(vm.prepare, ctx.app.client),
    )
    question = ft.Text("", size=18)
    yes = ft.FilledButton(
        ctx.t("money.payout.confirm"),
        height=TOUCH,
        on_click=lambda e: ctx.run(vm.confirm, ctx.app.client),
    )
    no = ft.OutlinedButton(
        ctx.t("common.cancel"), height=TOUCH, on_click=lambda e: ctx.run(vm.cancel, ctx.app.client)
    )
    confirm_box = ft.Container(
        ft.Column([question, ft.Row([with_id("payout-yes", yes), with_id("payout-no", no)])]),
        padding=12,
        border_radius=12,
        bgcolor=ft.Colors.SECONDARY_CONTAINER,
    )
    outcome, show_outcome = _outcome(ctx)
    limit = ft.Text("")
    recent = ft.Column(spacing=2)

    wrapped = {
        identifier: with_id(identifier, control)
        for identifier, control in (
            ("payout-kind", kind),
            ("payout-purpose", purpose),
            ("payout-phone", phone),
            ("payout-receiver-kind", receiver_kind),
            ("payout-receiver", receiver),
            ("payout-account", account),
            ("payout-amount", amount),
            ("payout-prepare", prepare),
        )
    }

    def refresh() -> None:
        editing = vm.state == "editing"
        b2c = vm.form.kind == "b2c"
        shown = {
            "payout-kind": editing,
            "payout-amount": editing,
            "payout-prepare": editing,
            "payout-purpose": editing and b2c,
            "payout-phone": editing and b2c,
            "payout-receiver-kind": editing and not b2c,
            "payout-receiver": editing and not b2c,
            "payout-account": editing and not b2c and vm.form.receiver_kind == "paybill",
        }
        for identifier, visible in shown.items():
            # Hide the Semantics wrapper, never its content: Flutter refuses invisible content.
            wrapped[identifier].visible = visible
        confirm_box.visible = vm.state == "confirming"
        if vm.draft is not None:
            question.value = ctx.t(
                "money.payout.question", amount=format_ksh(int(vm.draft.amount)), to=vm.draft.to
            )
        show_outcome()
        limit.value = ctx.t("money.payout.limit", used=vm.limit_text)
        recent.controls = [
            ft.Text(
                f"{format_ksh(int(p.amount))} · {_recipient(p)} · "
                f"{ctx.t(f'money.payout.state.{p.status}')}"
            )
            for p in vm.items
        ]

    ctx.watch(vm, refresh)
    ctx.run(vm.load, ctx.app.client)
    return ft.Column(
        [
            ft.Text(ctx.t("money.payout.title"), size=22, weight=ft.FontWeight.BOLD),
            *wrapped.values(),
            confirm_box,
            outcome,
            ft.Divider(),
            limit,
            with_id("payout-recent", recent),
        ],
        scroll=ft.ScrollMode.AUTO,
        expand=True,
    )


def _outcome(ctx: ViewContext) -> tuple[ft.Control, Callable[[], None]]:
    """What became of the payout once sent: its state, amount, recipient, receipt and time.

    Returns the block and the function that fills it from the view-model. Only lines with
    something to say are shown: an empty line still leaves a gap on screen.
    """
    vm = ctx.app.money.payouts
    status = ft.Text("", size=20, weight=ft.FontWeight.BOLD)
    amount = ft.Text("", size=28, weight=ft.FontWeight.BOLD)
    to = ft.Text("", size=18)
    receipt = ft.Text("", size=18)
    at = ft.Text("")
    message = ft.Text("")
    another = ft.OutlinedButton(
        ctx.t("money.payout.another"), height=TOUCH, on_click=lambda e: vm.new_payout()
    )
    lines = {
        identifier: with_id(identifier, control)
        for identifier, control in (
            ("payout-status", status),
            ("payout-paid-amount", amount),
            ("payout-paid-to", to),
            ("payout-receipt", receipt),
            ("payout-paid-at", at),
            ("payout-message", message),
        )
    }
    again = with_id("payout-another", another)

    def show() -> None:
        final = vm.state not in ("editing", "confirming")
        sent = vm.draft if final else None
        status.value = ctx.t(f"money.payout.state.{vm.state}") if final else ""
        status.color = {"paid": PAID_GREEN, "failed": FAILED_RED}.get(vm.state)
        amount.value = format_ksh(int(sent.amount)) if sent is not None else ""
        to.value = ctx.t("money.payout.to", to=_destination(sent)) if sent is not None else ""
        code = getattr(sent, "receipt", None)
        receipt.value = ctx.t("payment.receipt", receipt=code) if code else ""
        done_at = getattr(sent, "completed_at", None)
        at.value = ctx.t("money.payout.at", time=format_time(done_at)) if done_at else ""
        message.value = ctx.t(vm.error) if vm.error else ""
        message.color = ft.Colors.ERROR if vm.error else None
        for line in lines.values():
            # Hide the Semantics wrapper, never its content: Flutter refuses invisible content.
            line.visible = bool(line.content.value)
        again.visible = vm.state in ("paid", "failed", "unknown", "cancelled")

    return ft.Column([*lines.values(), again], spacing=4), show


def _destination(payout: Any) -> str:
    """Where a payout went: the masked phone, or the paybill with its account number."""
    account = getattr(payout, "account_reference", "")
    return f"{_recipient(payout)} · {account}" if account else _recipient(payout)


def _recipient(payout: Any) -> str:
    """A phone masked the way every other screen shows one; a paybill or till as it is."""
    return mask_msisdn(payout.to) if payout.kind == "b2c" else payout.to
