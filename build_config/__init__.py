"""Release tooling for the packaged app: one version, one staged source tree, one build matrix.

`version` derives the build number from `[project] version`; `stage` assembles the tree that
`flet build` packages; `matrix` turns `targets.toml` into the release workflow's job matrix.
"""

from __future__ import annotations

from build_config.matrix import load_targets, workflow_matrix
from build_config.stage import APP_PACKAGES, stage_app
from build_config.version import ReleaseVersion, read_version

__all__ = [
    "APP_PACKAGES",
    "ReleaseVersion",
    "load_targets",
    "read_version",
    "stage_app",
    "workflow_matrix",
]
