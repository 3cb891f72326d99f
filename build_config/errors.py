"""Errors the release tooling raises; each message says what to fix before tagging again.

ReleaseConfigError          base: the repository is not in a releasable state
├── VersionError            [project] version is not MAJOR.MINOR.PATCH, or the tag disagrees
└── TargetsError            build_config/targets.toml is missing a field or names a bad target
"""

from __future__ import annotations


class ReleaseConfigError(Exception):
    """The repository cannot be released as it stands."""


class VersionError(ReleaseConfigError):
    """The version in pyproject cannot become store version codes, or the git tag disagrees."""


class TargetsError(ReleaseConfigError):
    """`targets.toml` does not describe a buildable target."""
