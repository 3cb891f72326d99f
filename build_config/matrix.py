"""Turn `targets.toml` into the release workflow's job matrix, so CI builds what the file lists.

`python -m build_config matrix --github-output FILE` writes `matrix=<json>` for
`strategy.matrix: ${{ fromJSON(needs.plan.outputs.matrix) }}`.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from build_config.errors import TargetsError

TARGETS_FILE = Path(__file__).resolve().parent / "targets.toml"

FLET_TARGETS = frozenset({"apk", "aab", "ipa", "macos", "windows", "linux", "web"})
SIGNING_SETS = frozenset({"android", "ios", "macos", "none"})
_FIELDS = ("runner", "artifact", "signing", "upload")


def load_targets(path: Path = TARGETS_FILE) -> dict[str, dict[str, str]]:
    """Read and check `targets.toml`: every target known to `flet build`, every field present."""
    with path.open("rb") as file:
        targets: dict[str, Any] = tomllib.load(file).get("targets", {})
    if not targets:
        raise TargetsError(f"{path} lists no [targets.<name>] tables")
    for name, fields in targets.items():
        if name not in FLET_TARGETS:
            raise TargetsError(
                f"target {name!r} is not a `flet build` target ({sorted(FLET_TARGETS)})"
            )
        missing = [field for field in _FIELDS if not fields.get(field)]
        if missing:
            raise TargetsError(f"target {name!r} is missing {', '.join(missing)}")
        if fields["signing"] not in SIGNING_SETS:
            raise TargetsError(f"target {name!r}: signing must be one of {sorted(SIGNING_SETS)}")
        if name in {"ipa", "macos"} and not str(fields["runner"]).startswith("macos"):
            raise TargetsError(f"target {name!r} needs Xcode: its runner must be a macOS runner")
    return targets


def workflow_matrix(targets: dict[str, dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    """The `include:` matrix GitHub Actions expands into one job per target."""
    return {"include": [{"target": name, **fields} for name, fields in targets.items()]}
