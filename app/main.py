"""The app's shell: builds the page for one session and swaps screens as the route changes.

One `DukaShell` per Flet session (per browser tab or desktop window). It owns the session's
background task — the live feed, started with `page.run_task` once signed in and cancelled on sign
out or when the session closes — and nothing else: everything it shows comes from view-models.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import logging
from dataclasses import dataclass
from typing import Any

import flet as ft
import flet_audio as fta

from app.sound import chime_wav
from app.storage import Preferences, choose_token_store
from app.theme import apply_theme
from app.viewmodels.feed import FeedItem
from app.viewmodels.shell import AppViewModel
from app.views import SCREENS, ViewContext, connection_badge
from app.views.nav import bottom_nav

__all__ = ["AppConfig", "DukaShell", "make_main"]

log = logging.getLogger("app")


@dataclass(frozen=True, slots=True)
class AppConfig:
    """Start-up options from the command line (the demo pre-fills the backend address)."""

    server: str = ""
    language: str = ""
    remember: bool = True  # False: never read or write device storage (kiosk / tests)


class DukaShell:
    """Renders the current screen of one session and runs its background work."""

    def __init__(self, page: ft.Page, config: AppConfig) -> None:
        self.page = page
        self.config = config
        self.prefs = Preferences() if config.remember else None
        if config.remember:
            store = choose_token_store(page)
        else:
            from backend_client.tokens import MemoryTokenStore  # noqa: PLC0415

            store = MemoryTokenStore()
        self.app = AppViewModel(
            token_store=store, server=config.server, language=config.language or "en"
        )
        self._ctx: ViewContext | None = None
        self._shown: tuple[Any, ...] = ()
        self._feed_task: concurrent.futures.Future[Any] | None = None
        self._chime: fta.Audio | None = None
        self.app.subscribe(self._on_app_changed)

    async def start(self) -> None:
        """Apply saved settings, resume a stored session if any, and draw the first screen."""
        page = self.page
        page.title = self.app.t("app.title")
        page.padding = 16
        if self.prefs is not None:
            language = self.config.language or await self.prefs.get("language")
            if language:
                self.app.set_language(language)
            theme = await self.prefs.get("theme")
            if theme:
                self.app.theme = theme
            if not self.app.session.server:
                self.app.session.server = await self.prefs.get("server")
        apply_theme(page, self.app.theme)
        page.on_close = self._on_close
        page.on_disconnect = self._on_close
        self._render()
        if self.prefs is not None:
            username, role = await self.prefs.get("username"), await self.prefs.get("role")
            with contextlib.suppress(Exception):
                await self.app.restore(username, role)

    # ----- reacting to the app view-model -------------------------------------------------------
    def _on_app_changed(self) -> None:
        signed_in = self.app.session.signed_in
        if signed_in and self._feed_task is None:
            self._start_feed()
        elif not signed_in and self._feed_task is not None:
            self._stop_feed()
        if self._screen_key() != self._shown:
            if self.prefs is not None:
                self.page.run_task(self._save_prefs)
            self._render()

    def _screen_key(self) -> tuple[Any, ...]:
        """What, when it changes, means a different screen (a new sale is a new screen too)."""
        app = self.app
        return (
            app.route,
            app.language,
            app.theme,
            app.session.signed_in,
            id(app.feed),
            id(app.payment),
        )

    async def _save_prefs(self) -> None:
        assert self.prefs is not None
        user = self.app.session.user
        await self.prefs.set("language", self.app.language)
        await self.prefs.set("theme", self.app.theme)
        if user is not None:
            await self.prefs.set("server", self.app.session.server.strip())
            await self.prefs.set("username", user.username)
            await self.prefs.set("role", user.role)

    def _render(self) -> None:
        app = self.app
        if self._ctx is not None:
            self._ctx.dispose()
        ctx = ViewContext(self.page, app)
        self._ctx = ctx
        self._shown = self._screen_key()
        apply_theme(self.page, app.theme)
        screen = SCREENS.get(app.route, SCREENS["signin"])(ctx)
        body = ft.Container(screen, expand=True, alignment=ft.Alignment.TOP_CENTER)
        if app.session.signed_in:
            self.page.controls = [self._header(ctx), body, bottom_nav(ctx, self._go)]
        else:
            self.page.controls = [body]
        ctx.update()

    def _header(self, ctx: ViewContext) -> ft.Control:
        return ft.Row(
            [
                ft.Text(ctx.t("app.title"), size=20, weight=ft.FontWeight.BOLD),
                connection_badge(ctx),
            ],
            alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
        )

    def _go(self, route: str) -> None:
        if route == "charge":
            self.app.open_charge()  # never loses a sale in progress
        else:
            self.app.navigate(route)

    # ----- the live feed --------------------------------------------------------------------------
    def _start_feed(self) -> None:
        feed = self.app.feed
        feed.on_paid = self._announce
        self._feed_task = self.page.run_task(feed.run, self.app.client)

    def _stop_feed(self) -> None:
        task, self._feed_task = self._feed_task, None
        if task is not None:
            task.cancel()

    def _announce(self, item: FeedItem) -> None:
        """Chime on every confirmed payment, and vibrate on phones."""
        del item
        self.page.run_task(self._chime_and_buzz)

    async def _chime_and_buzz(self) -> None:
        # A device with no speaker or a browser that blocks sound must not lose the payment:
        # the green row on the feed is the cue that always works, so failures here are logged.
        try:
            if self._chime is None:
                self._chime = fta.Audio(src=chime_wav(), autoplay=False, volume=1.0)
            await self._chime.play()
            if self.page.platform in (ft.PagePlatform.ANDROID, ft.PagePlatform.IOS):
                await ft.HapticFeedback().heavy_impact()
        except Exception:
            log.warning("could not play the payment chime", exc_info=True)

    def _on_close(self, _: object = None) -> None:
        self._stop_feed()
        if self._ctx is not None:
            self._ctx.dispose()


def make_main(config: AppConfig) -> Any:
    """Return the `main(page)` Flet calls once per session."""

    async def main(page: ft.Page) -> None:
        shell = DukaShell(page, config)
        await shell.start()

    return main
