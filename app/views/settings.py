"""Settings: language, theme, sign out."""

from __future__ import annotations

import flet as ft

from app.i18n import LANGUAGES
from app.theme import TOUCH
from app.views.choices import choice_row
from app.views.context import ViewContext, left_aligned, with_id

__all__ = ["settings_view"]


def settings_view(ctx: ViewContext) -> ft.Control:
    app = ctx.app
    user = app.session.user
    role = ctx.t(f"role.{user.role}") if user else ""
    notice = ctx.t(app.session.storage_notice) if app.session.storage_notice else ""
    language = choice_row("settings-language", dict(LANGUAGES), app.language, app.set_language)
    themes = {mode: ctx.t(f"settings.theme.{mode}") for mode in ("light", "dark", "system")}
    theme = choice_row("settings-theme", themes, app.theme, app.set_theme)

    async def sign_out(_: object) -> None:
        await app.sign_out()
        ctx.update()

    return left_aligned(
        ft.Column(
            [
                ft.Text(ctx.t("settings.title"), size=22, weight=ft.FontWeight.BOLD),
                ft.Text(
                    ctx.t("settings.signed_in_as", name=user.display_name, role=role)
                    if user
                    else ""
                ),
                ft.Text(notice, color=ft.Colors.ERROR, visible=bool(notice)),
                ft.Text(ctx.t("settings.language"), size=16),
                language,
                ft.Text(ctx.t("settings.theme"), size=16),
                theme,
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
            scroll=ft.ScrollMode.AUTO,
            expand=True,
        )
    )
