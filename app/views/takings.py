"""Owner: a day's takings in large type, breakdowns, an hourly chart, another day, CSV."""

from __future__ import annotations

import datetime as dt

import flet as ft
import flet_charts as fch

from app.formatting import format_date, format_ksh
from app.theme import PAID_GREEN, TOUCH
from app.viewmodels.owner import today_in_nairobi
from app.views.context import ViewContext, with_id

__all__ = ["takings_view"]


def _chart(hourly: list[int]) -> fch.BarChart:
    top = max(hourly) or 1
    return fch.BarChart(
        groups=[
            fch.BarChartGroup(
                x=hour, rods=[fch.BarChartRod(from_y=0, to_y=total, width=8, color=PAID_GREEN)]
            )
            for hour, total in enumerate(hourly)
        ],
        max_y=top * 1.1,
        interactive=True,
        height=200,
        bottom_axis=fch.ChartAxis(
            labels=[
                fch.ChartAxisLabel(value=h, label=ft.Text(f"{h:02d}", size=10))
                for h in range(0, 24, 3)
            ],
            label_size=24,
        ),
    )


def _label(ctx: ViewContext, section: str, key: str, label: str) -> str:
    """Channel names and the till's own row come from the catalogue; cashiers are usernames."""
    if section == "channel" and key in ("stk", "till"):
        return ctx.t(f"takings.channel.{key}")
    if section == "cashier" and key == "0":
        return ctx.t("takings.nobody")
    return label


def takings_view(ctx: ViewContext) -> ft.Control:
    vm = ctx.app.takings
    day = ft.Text("", size=18)
    total = ft.Text("", size=48, weight=ft.FontWeight.BOLD)
    count = ft.Text("", size=18)
    by_cashier = ft.Column(spacing=2)
    by_channel = ft.Column(spacing=2)
    chart_box = ft.Container(height=220)
    error = ft.Text("", color=ft.Colors.ERROR)
    notice = ft.Text("")

    def rows(section: str, items: list[tuple[str, str, int, int]]) -> list[ft.Control]:
        return [
            ft.Row(
                [
                    ft.Text(_label(ctx, section, key, label), expand=True),
                    ft.Text(f"{format_ksh(total)} ({count})"),
                ],
            )
            for key, label, total, count in items
        ]

    def refresh() -> None:
        day.value = format_date(vm.day)
        total.value = vm.total_text
        count.value = ctx.t("takings.count", count=vm.count)
        by_cashier.controls = rows("cashier", vm.by_cashier)
        by_channel.controls = rows("channel", vm.by_channel)
        chart_box.content = _chart(vm.hourly)
        error.value = ctx.t(vm.error) if vm.error else ""
        error.visible = bool(vm.error)

    ctx.watch(vm, refresh)

    def picked(e: ft.Event[ft.DatePicker]) -> None:
        value = e.control.value
        if value is not None:
            chosen = value.date() if isinstance(value, dt.datetime) else value
            ctx.run(vm.load, ctx.app.client, chosen)

    def pick_day(_: object) -> None:
        ctx.page.show_dialog(
            ft.DatePicker(
                value=dt.datetime.combine(vm.day, dt.time()),
                first_date=dt.datetime(2020, 1, 1),
                last_date=dt.datetime.combine(today_in_nairobi(), dt.time()),
                on_change=picked,
            )
        )

    async def export(_: object) -> None:
        data = await vm.export_csv(ctx.app.client)
        try:
            path = await ft.FilePicker().save_file(file_name=vm.csv_file_name, src_bytes=data)
        except Exception as exc:  # no file dialog here: say so rather than fail silently
            notice.value = ctx.t("common.error", detail=type(exc).__name__)
        else:
            notice.value = ctx.t("takings.exported", path=path or vm.csv_file_name)
        ctx.update()

    ctx.run(vm.load, ctx.app.client)
    return ft.Column(
        [
            ft.Row(
                [
                    ft.Text(ctx.t("takings.title"), size=22, weight=ft.FontWeight.BOLD),
                    with_id("takings-day", day),
                ],
                alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
            ),
            with_id("takings-total", total),
            with_id("takings-count", count),
            error,
            ft.Text(ctx.t("takings.hourly"), size=16),
            chart_box,
            ft.Text(ctx.t("takings.by_cashier"), size=16, weight=ft.FontWeight.BOLD),
            with_id("takings-by-cashier", by_cashier),
            ft.Text(ctx.t("takings.by_channel"), size=16, weight=ft.FontWeight.BOLD),
            with_id("takings-by-channel", by_channel),
            ft.Row(
                [
                    with_id(
                        "takings-pick-day",
                        ft.OutlinedButton(
                            ctx.t("takings.pick_day"), height=TOUCH, on_click=pick_day
                        ),
                    ),
                    with_id(
                        "takings-export",
                        ft.OutlinedButton(ctx.t("takings.export"), height=TOUCH, on_click=export),
                    ),
                ],
                wrap=True,
            ),
            notice,
        ],
        scroll=ft.ScrollMode.AUTO,
        expand=True,
        spacing=8,
    )
