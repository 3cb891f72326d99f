"""Live feed: confirmations newest first, with a live / reconnecting / offline badge."""

from __future__ import annotations

import flet as ft

from app.theme import FAILED_RED, PAID_GREEN
from app.views.context import ViewContext, with_id

__all__ = ["connection_badge", "feed_view"]

_BADGE = {
    "connected": ("feed.live", PAID_GREEN, ft.Icons.WIFI),
    "reconnecting": ("feed.reconnecting", ft.Colors.AMBER_800, ft.Icons.SYNC),
    "offline": ("feed.offline", FAILED_RED, ft.Icons.WIFI_OFF),
}


def connection_badge(ctx: ViewContext) -> ft.Control:
    """A small chip with the live feed's connection state (shown on every screen)."""
    icon = ft.Icon(ft.Icons.WIFI, size=18)
    label = ft.Text("", size=14)

    def refresh() -> None:
        key, color, glyph = _BADGE.get(ctx.app.feed.connection, _BADGE["offline"])
        label.value, label.color, icon.name, icon.color = ctx.t(key), color, glyph, color

    ctx.watch(ctx.app.feed, refresh)
    return with_id("feed-connection", ft.Row([icon, label], spacing=4, tight=True))


def feed_view(ctx: ViewContext) -> ft.Control:
    vm = ctx.app.feed
    items = ft.Column(spacing=4)
    error = ft.Text("", color=ft.Colors.ERROR)

    def refresh() -> None:
        error.value = ctx.t(vm.error) if vm.error else ""
        error.visible = bool(vm.error)
        if not vm.items:
            items.controls = [ft.Text(ctx.t("feed.empty"), size=18)]
            return
        items.controls = [
            with_id(
                f"feed-item-{index}",
                ft.ListTile(
                    leading=ft.Icon(ft.Icons.CHECK_CIRCLE, color=PAID_GREEN),
                    title=ft.Text(f"{item.amount_text} · {item.receipt}", size=18),
                    subtitle=ft.Text(
                        f"{ctx.t('feed.till' if item.channel == 'till' else 'feed.stk')} · "
                        f"{item.phone} · {item.time_text}"
                    ),
                    min_height=56,
                ),
            )
            for index, item in enumerate(vm.items)
        ]

    ctx.watch(vm, refresh)
    return ft.Column(
        [
            ft.Row(
                [ft.Text(ctx.t("feed.title"), size=22, weight=ft.FontWeight.BOLD)],
            ),
            error,
            with_id("feed-list", items),
        ],
        scroll=ft.ScrollMode.AUTO,
        expand=True,
    )
