"""The app's public names resolve, and the view-models import without Flet."""

from __future__ import annotations

import subprocess
import sys

import app
import app.viewmodels


def test_every_exported_name_exists() -> None:
    for module in (app, app.viewmodels):
        missing = [name for name in module.__all__ if not hasattr(module, name)]
        assert missing == [], module.__name__


def test_viewmodels_do_not_pull_in_flet_or_server_packages() -> None:
    heavy = ("flet", "fastapi", "sqlalchemy", "pydantic")
    code = f"import sys, app.viewmodels; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
