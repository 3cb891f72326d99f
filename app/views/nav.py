"""The bottom navigation: one row of tabs that fits a 480 px phone, the rest under "More".

A custom row rather than `ft.NavigationBar` because each tab must carry its own semantics
identifier (`nav-<route>`) for screen readers and tests, and a NavigationBar destination cannot.
The owner has ten screens: the four daily ones stay on the bar and "More" opens a bottom sheet with
the others, each still `nav-<route>` once the sheet is open.
"""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from app.theme import TOUCH
from app.views.context import ViewContext, with_id

__all__ = ["NAV_ICONS", "bottom_nav"]

NAV_ICONS = {
    "charge": ft.Icons.POINT_OF_SALE,
    "feed": ft.Icons.RECEIPT_LONG,
    "qr": ft.Icons.QR_CODE_2,
    "takings": ft.Icons.BAR_CHART,
    "transactions": ft.Icons.SEARCH,
    "team": ft.Icons.GROUP,
    "settings": ft.Icons.SETTINGS,
    "payouts": ft.Icons.PAYMENTS,
    "balance": ft.Icons.ACCOUNT_BALANCE_WALLET,
    "verify": ft.Icons.VERIFIED,
    "more": ft.Icons.MORE_HORIZ,
}
_TAB_HEIGHT = TOUCH + 8  # icon and a label of up to two short lines (Kiswahili runs longer)


def _tab(ctx: ViewContext, route: str, on_click: Callable[[], None]) -> ft.Control:
    selected = ctx.app.nav_selected == route
    label = ft.Text(
        ctx.t(f"nav.{route}"),
        size=12,
        max_lines=2,
        overflow=ft.TextOverflow.ELLIPSIS,
        text_align=ft.TextAlign.CENTER,
        weight=ft.FontWeight.BOLD if selected else None,
    )
    button = ft.TextButton(
        content=ft.Column(
            [ft.Icon(NAV_ICONS[route], size=24), label],
            spacing=2,
            tight=True,
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        ),
        height=_TAB_HEIGHT,
        expand=True,
        style=ft.ButtonStyle(
            padding=ft.Padding.symmetric(horizontal=2, vertical=4),
            shape=ft.RoundedRectangleBorder(radius=16),
            bgcolor=ft.Colors.SECONDARY_CONTAINER if selected else None,
        ),
        on_click=lambda e: on_click(),
    )
    return with_id(f"nav-{route}", button)


def _more_sheet(ctx: ViewContext, go: Callable[[str], None]) -> ft.BottomSheet:
    def pick(route: str) -> None:
        ctx.page.pop_dialog()
        go(route)

    tiles = [
        with_id(
            f"nav-{route}",
            ft.ListTile(
                leading=ft.Icon(NAV_ICONS[route]),
                title=ft.Text(ctx.t(f"nav.{route}"), size=18),
                min_height=TOUCH,
                selected=ctx.app.route == route,
                on_click=lambda e, r=route: pick(r),
            ),
        )
        for route in ctx.app.nav_more
    ]
    return ft.BottomSheet(
        content=with_id(
            "nav-more-sheet",
            ft.Container(ft.Column(tiles, tight=True, spacing=0), padding=ft.Padding.all(8)),
        ),
        show_drag_handle=True,
    )


def bottom_nav(ctx: ViewContext, go: Callable[[str], None]) -> ft.Control:
    """The tab row for the signed-in user; `go(route)` is called with the tab tapped."""
    tabs = [_tab(ctx, route, lambda r=route: go(r)) for route in ctx.app.nav_primary]
    if ctx.app.nav_more:
        tabs.append(_tab(ctx, "more", lambda: ctx.page.show_dialog(_more_sheet(ctx, go))))
    return ft.Row(tabs, spacing=4)
