"""Duka's Flet app: cashier and owner screens, thin views over plain-Python view-models.

    from app import AppConfig, make_main
    ft.run(make_main(AppConfig(server="https://duka.example")))

`app.viewmodels` (state and commands, no Flet) imports without the UI; the names below load the
Flet shell only when first used, so `import app.viewmodels` stays light.
"""

from __future__ import annotations

from typing import Any

__all__ = ["AppConfig", "DukaShell", "make_main"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from app import main  # noqa: PLC0415 - deferred on purpose (see the module docstring)

        return getattr(main, name)
    raise AttributeError(f"module 'app' has no attribute {name!r}")
