"""Assemble the source tree that `flet build` packages: the app's packages and nothing server-side.

`flet build` packages every file under the directory it is given and runs `main.py` there, so it
is pointed at a staged copy rather than the repository: the packaged app then carries no server
code (`backend/`, which handles the Daraja secrets), no simulator, tests or deploy files, while
the pyproject it reads is the real one, so `[tool.flet]` and `[project] dependencies` stay in one
place. Run `python -m build_config stage build/flet`, then `flet build apk build/flet`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

APP_PACKAGES: tuple[str, ...] = ("app", "backend_client", "keqr")
"""Packages the running app imports; everything else in the repository stays out of the bundle."""

ASSET_SUFFIXES = (".png", ".ttf", ".otf", ".svg", ".json")
"""What `assets/` may contribute; the generator script and its notes stay behind."""

_IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo", ".DS_Store")


def stage_app(out: Path, root: Path = ROOT) -> list[Path]:
    """Copy the app's packages, assets, pyproject and entry module into `out`, replacing it.

    Returns the staged paths relative to `out`, sorted, so callers can show or check them.
    """
    target, repo = out.resolve(), root.resolve()
    # `out` is replaced wholesale: never let that be the repository or one of its folders.
    if target == repo or target in repo.parents or target.parent == repo:
        raise ValueError(f"refusing to stage into {out}: use a fresh directory such as build/flet")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copy2(root / "pyproject.toml", out / "pyproject.toml")
    shutil.copy2(root / "build_config" / "main.py", out / "main.py")
    for package in APP_PACKAGES:
        source = root / package
        if not (source / "__init__.py").is_file():
            raise FileNotFoundError(f"app package {package!r} is missing from {root}")
        shutil.copytree(source, out / package, ignore=_IGNORED)
    assets = out / "assets"
    assets.mkdir()
    for image in sorted((root / "assets").iterdir()):
        if image.suffix in ASSET_SUFFIXES:
            shutil.copy2(image, assets / image.name)
    return sorted(path.relative_to(out) for path in out.rglob("*") if path.is_file())
