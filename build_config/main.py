"""Entry module of the packaged app: `flet build` runs `main.py` from the staged tree's root.

`build_config/stage.py` copies this file there. It starts the app exactly as `python -m app`
does in development, so the packaged and the developer's app share one entry point.
"""

from __future__ import annotations

import runpy

if __name__ == "__main__":
    runpy.run_module("app", run_name="__main__", alter_sys=True)
