"""The public surface of keqr: what others import, and that `__all__` does not drift."""

from __future__ import annotations

import ast
import doctest
import types
from decimal import Decimal
from pathlib import Path

import keqr


def test_all_lists_exactly_the_public_names() -> None:
    public = {
        name
        for name, value in vars(keqr).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    } - {"annotations"}
    assert set(keqr.__all__) == public
    assert keqr.__all__ == sorted(keqr.__all__)


def test_the_calls_other_packages_rely_on_exist() -> None:
    for name in ("till_payload", "paybill_payload", "decode", "render_png", "render_svg"):
        assert callable(getattr(keqr, name))
    assert issubclass(keqr.InvalidField, keqr.KeqrError)
    assert issubclass(keqr.BadCrc, keqr.DecodeError)


def test_keqr_imports_no_ui_toolkit_and_no_pillow_at_import_time() -> None:
    """keqr is shared by the app, backend and simulator, and must run on phones without Pillow."""
    imported = _top_level_imports_of_keqr()
    assert "qrcode" in imported  # the check sees real imports
    assert not {"flet", "PIL", "fastapi", "httpx"} & imported


def _top_level_imports_of_keqr() -> set[str]:
    """Imports run when a keqr module loads (not those inside functions or `if TYPE_CHECKING`)."""
    found: set[str] = set()
    for path in Path(keqr.__file__).parent.glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                found |= {alias.name.partition(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module.partition(".")[0])
    return found


def test_the_package_docstring_example_runs() -> None:
    result = doctest.testmod(keqr, extraglobs={"Decimal": Decimal})
    assert result.attempted == 2
    assert result.failed == 0
