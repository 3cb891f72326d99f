"""`[tool.flet]`: identity, permissions, splash, no signing secrets, extensions declared."""

from __future__ import annotations

import ast
import importlib.metadata
import re

from packaging.requirements import Requirement

from tests.packaging.conftest import ROOT

# What `flet build` 1.0.5 accepts in `[tool.flet] permissions`.
FLET_PERMISSIONS = {"location", "camera", "microphone", "photo_library", "biometric"}
BUNDLE_ID = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
APP_SOURCES = ("app", "backend_client", "keqr")


def project_requirements(pyproject) -> dict[str, Requirement]:
    reqs = (Requirement(text) for text in pyproject["project"]["dependencies"])
    return {req.name.lower().replace("_", "-"): req for req in reqs}


def test_identity_is_set_once_for_every_platform(flet_config, pyproject) -> None:
    assert flet_config["product"] == "Duka"
    assert flet_config["artifact"] == pyproject["project"]["name"]
    assert BUNDLE_ID.fullmatch(flet_config["bundle_id"]), "Android applicationId / iOS bundle id"
    assert flet_config["bundle_id"].startswith(flet_config["org"] + ".")
    for platform in ("android", "ios", "macos", "windows", "linux"):
        overrides = flet_config.get(platform, {})
        assert "bundle_id" not in overrides and "org" not in overrides, platform
    # Version and build number come from [project] version only (build_config/version.py).
    assert "build_number" not in flet_config and "version" not in flet_config


def test_no_permission_beyond_what_the_app_uses(flet_config) -> None:
    # The app talks to its backend over the network (INTERNET is flet's default) and nothing else.
    assert flet_config["permissions"] == []
    assert set(flet_config["permissions"]) <= FLET_PERMISSIONS
    assert "permission" not in flet_config.get("android", {})


def test_signing_secrets_never_live_in_pyproject(flet_config) -> None:
    signing = flet_config["android"]["signing"]
    assert set(signing) == {"key_alias"}, "keystore path and passwords come from the environment"
    ios = flet_config["ios"]
    assert not {"team_id", "provisioning_profile", "signing_certificate"} & set(ios)
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    tool_flet = text[text.index("[tool.flet]") :]
    assert not re.search(r"(?im)^\s*\w*(password|key_store)\w*\s*=", tool_flet)


def test_entry_point_and_splash_are_configured(flet_config) -> None:
    assert flet_config["app"]["module"] == "main"
    assert (ROOT / "build_config" / "main.py").is_file()
    for key in ("color", "dark_color"):
        assert re.fullmatch(r"#[0-9A-F]{6}", flet_config["splash"][key]), key


def flet_modules_imported_by_the_app() -> set[str]:
    modules: set[str] = set()
    for package in APP_SOURCES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    modules.add(node.module.split(".")[0])
    return {module for module in modules if module.startswith("flet_")}


def test_every_flet_extension_the_app_imports_is_a_project_dependency(pyproject) -> None:
    declared = project_requirements(pyproject)
    for module in flet_modules_imported_by_the_app():
        distribution = module.replace("_", "-")
        assert distribution in declared, f"app imports {module}: add {distribution} to [project]"


def test_declared_extensions_ship_their_flutter_side(pyproject) -> None:
    # `flet build` registers an extension when its wheel carries flutter/<pkg>/pubspec.yaml.
    extensions = [name for name in project_requirements(pyproject) if name.startswith("flet-")]
    assert "flet-secure-storage" in extensions, "tokens are kept in the platform keystore"
    for name in extensions:
        files = importlib.metadata.distribution(name).files or []
        pubspecs = [f for f in files if f.name == "pubspec.yaml" and "flutter" in f.parts]
        assert pubspecs, f"{name} has no Flutter package: flet build would not bundle it"
