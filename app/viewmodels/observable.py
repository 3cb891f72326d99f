"""The one mechanism views use to hear that a view-model changed.

Plain Python rather than `@ft.observable`, so view-models import without flet and tests can watch
them without a screen. A view subscribes, re-reads the state it shows, and unsubscribes when it
is torn down.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Listener", "Observable"]

Listener = Callable[[], None]


class Observable:
    """Base for view-models: `subscribe` to be told after every change."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` after each change; return a function that stops it."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def changed(self) -> None:
        """Tell every listener the state moved on (listeners re-read what they need)."""
        for listener in list(self._listeners):
            listener()
