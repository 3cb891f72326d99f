"""What every view function gets: the page, the app view-model, and safe ways to react.

Views subscribe through `watch` so the shell can drop every subscription when the screen changes;
`run` starts a command as a page task so a click never blocks the event loop.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Coroutine
from typing import Any

import flet as ft

from app.viewmodels.observable import Observable
from app.viewmodels.shell import AppViewModel

__all__ = ["ViewContext", "left_aligned", "with_id"]


def with_id(identifier: str, control: ft.Control) -> ft.Semantics:
    """Give `control` a stable semantics identifier (for tests and screen readers)."""
    # The wrapper takes the control's `expand`, or a button meant to fill its row would shrink.
    return ft.Semantics(identifier=identifier, content=control, expand=control.expand)


def left_aligned(screen: ft.Control) -> ft.Control:
    """Give a screen the full width, its content from the left edge like the other lists.

    The shell centres each screen, which shrinks one made of short lines to their width and shows
    it floating mid-screen; an aligning container takes all the room it is given instead.
    """
    return ft.Container(screen, alignment=ft.Alignment.TOP_LEFT, expand=True)


class ViewContext:
    """A screen's link to the page and to the app's state."""

    def __init__(self, page: ft.Page, app: AppViewModel) -> None:
        self.page = page
        self.app = app
        self._unsubscribe: list[Callable[[], None]] = []

    def t(self, key: str, **values: object) -> str:
        return self.app.t(key, **values)

    def watch(self, observable: Observable, refresh: Callable[[], None]) -> None:
        """Call `refresh` now and after each change of `observable`, then push to the screen."""

        def listener() -> None:
            refresh()
            self.update()

        self._unsubscribe.append(observable.subscribe(listener))
        refresh()

    def update(self) -> None:
        """Send changed controls to the client; a closed session is not an error."""
        with contextlib.suppress(Exception):
            self.page.update()

    def run(self, command: Callable[..., Coroutine[Any, Any, Any]], *args: Any) -> None:
        """Start an async command as a page task (its result arrives through view-models)."""
        self.page.run_task(command, *args)

    def dispose(self) -> None:
        """Stop every subscription this screen made."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
