"""The release workflow builds what build_config/ lists, on a version tag, signing from secrets."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

import pytest
import yaml

from tests.packaging.conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True; GitHub reads it as "on".
    data["on"] = data.pop(True, data.get("on"))
    return data


@pytest.fixture(scope="module")
def release() -> dict[str, Any]:
    return load("release.yml")


def steps_text(job: dict[str, Any]) -> str:
    return "\n".join(str(step.get("run", "")) for step in job["steps"])


def test_release_runs_on_version_tags_only(release) -> None:
    assert set(release["on"]) == {"push"}
    (pattern,) = release["on"]["push"]["tags"]
    assert pattern.startswith("v") and "branches" not in release["on"]["push"]


def test_plan_checks_the_tag_and_reads_the_matrix_from_build_config(release) -> None:
    plan = release["jobs"]["plan"]
    text = steps_text(plan)
    assert 'python -m build_config version --tag "$GITHUB_REF_NAME"' in text
    assert "python -m build_config matrix" in text
    assert set(plan["outputs"]) == {"version", "build_number", "matrix"}


def test_build_job_fans_out_over_the_planned_targets(release) -> None:
    build = release["jobs"]["build"]
    assert build["needs"] == "plan"
    assert build["strategy"]["matrix"] == "${{ fromJSON(needs.plan.outputs.matrix) }}"
    assert build["runs-on"] == "${{ matrix.runner }}"
    text = steps_text(build)
    assert "python -m build_config stage build/flet" in text
    assert '--build-version "$VERSION" --build-number "$BUILD_NUMBER"' in text
    assert "${{ matrix.artifact }}" in text


def test_only_the_release_job_may_write_to_the_repository(release) -> None:
    assert release["permissions"] == {"contents": "read"}
    writers = [
        n
        for n, job in release["jobs"].items()
        if job.get("permissions", {}).get("contents") == "write"
    ]
    assert writers == ["release"]
    job = release["jobs"]["release"]
    assert set(job["needs"]) == {"plan", "build"}
    assert "gh release create" in steps_text(job)


def test_every_secret_is_documented_and_none_is_printed(release) -> None:
    text = (WORKFLOWS / "release.yml").read_text(encoding="utf-8")
    secrets = set(re.findall(r"secrets\.([A-Z0-9_]+)", text))
    assert {"ANDROID_KEYSTORE_BASE64", "IOS_CERTIFICATE_P12_BASE64", "IOS_TEAM_ID"} <= secrets
    guide = (ROOT / "docs" / "packaging.md").read_text(encoding="utf-8")
    undocumented = {name for name in secrets if f"`{name}`" not in guide}
    assert not undocumented, f"docs/packaging.md does not explain {sorted(undocumented)}"
    # Secrets are never echoed, and never copied into GITHUB_ENV where every later step sees them.
    for line in text.splitlines():
        if re.search(r"\becho\b", line):
            assert not re.search(r"\$\{?(ANDROID|IOS)_\w*(PASSWORD|BASE64)", line), line


def test_signing_material_is_removed_whatever_happens(release) -> None:
    steps = release["jobs"]["build"]["steps"]
    cleanup = next(step for step in steps if step.get("name") == "Remove signing material")
    assert cleanup["if"].startswith("always()")
    assert "duka-upload.jks" in cleanup["run"] and "delete-keychain" in cleanup["run"]


def test_test_workflow_runs_make_test_with_postgres() -> None:
    tests = load("test.yml")
    job = tests["jobs"]["test"]
    assert job["services"]["postgres"]["image"].startswith("postgres:")
    assert any(step.get("run") == "make test" for step in job["steps"])


def test_workflows_follow_github_actions_schema() -> None:
    done = subprocess.run(  # noqa: S603 - our interpreter, a vendored schema, our files
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            *(str(path) for path in sorted(WORKFLOWS.glob("*.yml"))),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
