"""Settings: language, theme, sign out."""

from __future__ import annotations

import flet as ft

from app.i18n import LANGUAGES
from app.theme import TOUCH
from app.views.context import ViewContext, with_id

__all__ = ["settings_view"]


def settings_view(ctx: ViewContext) -> ft.Control:
    app = ctx.app
    user = app.session.user
    role = ctx.t(f"role.{user.role}") if user else ""
    language = ft.SegmentedButton(
        segments=[ft.Segment(value=code, label=ft.Text(name)) for code, name in LANGUAGES.items()],
        selected=[app.language],
        on_change=lambda e: app.set_language(e.control.selected[0]),
    )
    theme = ft.SegmentedButton(
        segments=[
            ft.Segment(value=mode, label=ft.Text(ctx.t(f"settings.theme.{mode}")))
            for mode in ("light", "dark", "system")
        ],
        selected=[app.theme],
        on_change=lambda e: app.set_theme(e.control.selected[0]),
    )

    async def sign_out(_: object) -> None:
        await app.sign_out()
        ctx.update()

    return ft.Column(
        [
            ft.Text(ctx.t("settings.title"), size=22, weight=ft.FontWeight.BOLD),
            ft.Text(
                ctx.t("settings.signed_in_as", name=user.display_name, role=role) if user else ""
            ),
            ft.Text(ctx.t("settings.language"), size=16),
            with_id("settings-language", language),
            ft.Text(ctx.t("settings.theme"), size=16),
            with_id("settings-theme", theme),
            with_id(
                "settings-sign-out",
                ft.OutlinedButton(
                    ctx.t("settings.sign_out"),
                    icon=ft.Icons.LOGOUT,
                    height=TOUCH,
                    on_click=sign_out,
                ),
            ),
        ],
        spacing=12,
    )
