"""Sign in: backend address, username, PIN or password."""

from __future__ import annotations

import flet as ft

from app.i18n import LANGUAGES
from app.theme import TOUCH
from app.views.choices import choice_row
from app.views.context import ViewContext, with_id

__all__ = ["signin_view"]


def signin_view(ctx: ViewContext) -> ft.Control:
    session = ctx.app.session
    server = ft.TextField(label=ctx.t("signin.server"), value=session.server, autofocus=False)
    username = ft.TextField(label=ctx.t("signin.username"), value=session.username)
    secret = ft.TextField(label=ctx.t("signin.secret"), password=True, can_reveal_password=True)
    error = ft.Text("", color=ft.Colors.ERROR, size=16)
    error_box = with_id("signin-error", error)
    submit = ft.FilledButton(ctx.t("signin.submit"), height=TOUCH, width=320)

    server.on_change = lambda e: session.set_field("server", server.value or "")
    username.on_change = lambda e: session.set_field("username", username.value or "")
    secret.on_change = lambda e: session.set_field("secret", secret.value or "")

    async def sign_in(_: ft.Event[ft.Button] | None = None) -> None:
        await ctx.app.sign_in()
        ctx.update()

    submit.on_click = sign_in
    secret.on_submit = sign_in

    def refresh() -> None:
        message = session.error
        error.value = ctx.t(message) if message else ""
        error_box.visible = bool(message)
        submit.disabled = session.busy
        submit.content = ctx.t("signin.busy") if session.busy else ctx.t("signin.submit")
        if not session.secret:
            secret.value = ""

    ctx.watch(session, refresh)
    # Language first: a cashier who reads Kiswahili should not have to sign in in English.
    language = choice_row(
        "signin-language", dict(LANGUAGES), ctx.app.language, ctx.app.set_language
    )
    return ft.Column(
        [
            ft.Text(ctx.t("app.title"), size=40, weight=ft.FontWeight.BOLD),
            language,
            ft.Text(ctx.t("signin.title"), size=22),
            with_id("signin-server", server),
            with_id("signin-username", username),
            with_id("signin-secret", secret),
            error_box,
            with_id("signin-submit", submit),
        ],
        width=360,
        spacing=16,
        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
    )
