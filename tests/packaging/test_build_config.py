"""Version, build number, release matrix and the staged tree that `flet build` packages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from build_config import APP_PACKAGES, ReleaseVersion, load_targets, read_version, stage_app
from build_config.errors import TargetsError, VersionError
from tests.packaging.conftest import ROOT


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own CLI, fixed argv
        [sys.executable, "-m", "build_config", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("version", "build_number"),
    [("0.1.0", 1_000), ("1.2.3", 1_002_003), ("1.10.0", 1_010_000), ("999.999.999", 999_999_999)],
)
def test_build_number_grows_with_the_version(version: str, build_number: int) -> None:
    assert ReleaseVersion.parse(version).build_number == build_number


def test_build_numbers_order_like_versions() -> None:
    versions = ["0.1.0", "0.1.9", "0.2.0", "0.10.0", "1.0.0", "1.0.1", "2.0.0"]
    numbers = [ReleaseVersion.parse(v).build_number for v in versions]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


@pytest.mark.parametrize(
    "bad", ["1.0", "1.0.0rc1", "1.0.0-beta", "01.0.0", "1.1000.0", "v1.0.0", ""]
)
def test_versions_a_store_cannot_take_are_refused(bad: str) -> None:
    with pytest.raises(VersionError, match=r"MAJOR\.MINOR\.PATCH"):
        ReleaseVersion.parse(bad)


def test_pyproject_version_is_releasable(pyproject) -> None:
    release = read_version()
    assert release.name == pyproject["project"]["version"]
    release.check_tag(f"refs/tags/v{release.name}")
    with pytest.raises(VersionError, match="does not match"):
        release.check_tag(f"v{release.major + 1}.0.0")


def test_cli_prints_version_and_refuses_a_mismatched_tag(tmp_path: Path) -> None:
    release = read_version()
    out = tmp_path / "github_output"
    done = cli("version", "--tag", release.tag, "--github-output", str(out))
    assert done.returncode == 0, done.stderr
    expected = f"version={release.name}\nbuild_number={release.build_number}\n"
    assert done.stdout == expected and out.read_text() == expected

    wrong = cli("version", "--tag", "v99.0.0")
    assert wrong.returncode == 2
    assert "does not match" in wrong.stderr and wrong.stdout == ""


def test_release_matrix_builds_mobile_and_desktop_on_the_right_runners() -> None:
    done = cli("matrix")
    assert done.returncode == 0, done.stderr
    matrix = json.loads(done.stdout.removeprefix("matrix="))
    runners = {row["target"]: row["runner"] for row in matrix["include"]}
    assert set(runners) >= {"apk", "aab", "ipa", "macos"}
    assert runners["apk"].startswith("ubuntu") and runners["aab"].startswith("ubuntu")
    assert runners["ipa"].startswith("macos") and runners["macos"].startswith("macos")
    assert matrix["include"] == [{"target": n, **f} for n, f in load_targets().items()]


def test_targets_file_mistakes_are_caught(tmp_path: Path) -> None:
    bad = tmp_path / "targets.toml"
    bad.write_text(
        '[targets.ipa]\nrunner = "ubuntu-24.04"\nartifact = "x"\nsigning = "ios"\nupload = "x"\n'
    )
    with pytest.raises(TargetsError, match="macOS runner"):
        load_targets(bad)
    bad.write_text('[targets.apk]\nrunner = "ubuntu-24.04"\n')
    with pytest.raises(TargetsError, match="missing artifact, signing, upload"):
        load_targets(bad)
    bad.write_text('[targets.exe]\nrunner = "x"\nartifact = "x"\nsigning = "none"\nupload = "x"\n')
    with pytest.raises(TargetsError, match="not a `flet build` target"):
        load_targets(bad)


def test_staged_tree_holds_the_app_and_nothing_server_side(tmp_path: Path, flet_config) -> None:
    out = tmp_path / "flet"
    staged = {path.as_posix() for path in stage_app(out)}

    assert {"main.py", "pyproject.toml", "assets/icon.png", "assets/splash.png"} <= staged
    assert {path.split("/")[0] for path in staged} == {
        "main.py",
        "pyproject.toml",
        "assets",
        *APP_PACKAGES,
    }
    assert not any("__pycache__" in path or path.endswith(".pyc") for path in staged)
    assert "assets/make_assets.py" not in staged
    assert (out / "pyproject.toml").read_bytes() == (ROOT / "pyproject.toml").read_bytes()
    # flet build runs `[tool.flet.app] module` from the tree's root, and app/__main__.py looks
    # for assets one level above its package: both must hold in the staged layout.
    module = flet_config["app"]["module"]
    assert (out / f"{module}.py").is_file()
    assert (out / "app" / "__main__.py").is_file()


def test_staged_entry_module_starts_the_app_like_python_dash_m(tmp_path: Path) -> None:
    out = tmp_path / "flet"
    stage_app(out)
    # `--help` makes the app's own argument parser answer and exit before any window opens, which
    # proves main.py reaches app/__main__.py with the staged packages importable.
    done = subprocess.run(
        [sys.executable, "main.py", "--help"],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": ""},
    )
    assert done.returncode == 0, done.stderr
    assert "python -m app" in done.stdout


def test_staging_refuses_to_replace_the_repository() -> None:
    for target in (ROOT, ROOT.parent, ROOT / "app"):
        with pytest.raises(ValueError, match="refusing to stage"):
            stage_app(target)
    assert (ROOT / "app" / "__init__.py").is_file()
