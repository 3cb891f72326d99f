"""The packaged app needs exactly `[project] dependencies`: nothing server-side at run time.

`flet build` bundles `[project] dependencies` and nothing else, so this builds the same world in
a fresh virtual environment: those requirements, plus the project installed without extras
(`pip install --no-deps`), then imports every app module, starts the view-models, and asks the
app's CLI for its help, from outside the repository so nothing leaks in through the working
directory. pip's cache makes a repeat run take seconds.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packaging.conftest import ROOT

pytestmark = pytest.mark.slow

SERVER_ONLY = ("fastapi", "sqlalchemy", "uvicorn", "pydantic_settings", "alembic", "asyncpg")
PROJECT_FILES = ("pyproject.toml", "README.md")
PROJECT_PACKAGES = ("app", "backend", "backend_client", "daraja_sim", "keqr")

PROBE = r"""
import importlib, json, pkgutil, sys

report = {"imported": [], "failed": {}, "server_only_present": []}
for name in sys.argv[1].split(","):
    if importlib.util.find_spec(name) is not None:
        report["server_only_present"].append(name)

import app, backend_client, keqr
modules = ["backend_client", "keqr"]
modules += [m.name for m in pkgutil.walk_packages(app.__path__, "app.") if m.name != "app.__main__"]
modules += [m.name for m in pkgutil.walk_packages(backend_client.__path__, "backend_client.")]
modules += [m.name for m in pkgutil.walk_packages(keqr.__path__, "keqr.")]
for name in modules:
    try:
        importlib.import_module(name)
        report["imported"].append(name)
    except Exception as exc:
        report["failed"][name] = f"{type(exc).__name__}: {exc}"

# Start the view-models the way the app does, with a token store that needs no platform keystore.
from app.viewmodels import AppViewModel
from backend_client.tokens import MemoryTokenStore
shell = AppViewModel(token_store=MemoryTokenStore())
report["route"] = shell.route
report["screens"] = sorted(
    key for key, value in vars(shell).items() if type(value).__name__.endswith("ViewModel")
)
print(json.dumps(report))
"""


def run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return subprocess.run(  # noqa: S603 - fixed argv built from pyproject, no shell
        argv, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=240
    )


@pytest.fixture(scope="module")
def app_only_python(tmp_path_factory: pytest.TempPathFactory, pyproject) -> Path:
    """A fresh virtualenv holding `[project] dependencies` and the project without extras."""
    base = tmp_path_factory.mktemp("runtime")
    source = base / "src"
    source.mkdir()
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, source / name)
    for package in PROJECT_PACKAGES:
        shutil.copytree(
            ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    venv = base / "venv"
    made = run([sys.executable, "-m", "venv", str(venv)], cwd=base)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    deps = run(
        [str(python), "-m", "pip", "install", "-q", *pyproject["project"]["dependencies"]], base
    )
    assert deps.returncode == 0, deps.stderr[-3000:]
    project = run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(source)], cwd=base)
    assert project.returncode == 0, project.stderr[-3000:]
    return python


def test_app_modules_import_and_view_models_start_without_server_packages(
    app_only_python: Path, tmp_path: Path
) -> None:
    done = run([str(app_only_python), "-c", PROBE, ",".join(SERVER_ONLY)], cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])

    assert report["server_only_present"] == [], "[project] dependencies pull in server packages"
    assert report["failed"] == {}, "app modules need packages outside [project] dependencies"
    assert {"app.viewmodels", "backend_client", "keqr"} <= set(report["imported"])
    assert report["route"] == "signin"
    assert {"session", "charge", "feed", "till"} <= set(report["screens"])


def test_app_cli_answers_without_server_packages(app_only_python: Path, tmp_path: Path) -> None:
    done = run([str(app_only_python), "-m", "app", "--help"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "python -m app" in done.stdout


def test_backend_really_is_unusable_there(app_only_python: Path, tmp_path: Path) -> None:
    # The control: the same environment cannot run the server, so the checks above mean something.
    done = run([str(app_only_python), "-c", "import backend.core.config"], cwd=tmp_path)
    assert done.returncode != 0
    assert "ModuleNotFoundError" in done.stderr
