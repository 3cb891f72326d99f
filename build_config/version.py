"""One version for every store: `[project] version` in pyproject, and a build number from it.

Android's versionCode and Apple's CFBundleVersion must grow with every upload, so the build number
is computed, not typed: MAJOR * 1_000_000 + MINOR * 1_000 + PATCH (0.1.0 → 1000, 1.2.3 → 1002003).
That keeps it monotonic as long as MINOR and PATCH stay below 1000, far under Google Play's
2_100_000_000 ceiling. Pre-release suffixes are refused: a store build must be a plain release.

Run `python -m build_config version [--tag vX.Y.Z] [--github-output FILE]` in CI: it fails when
the pushed tag does not match pyproject, and writes `version=` and `build_number=` for later steps.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from build_config.errors import VersionError

ROOT = Path(__file__).resolve().parent.parent
_SEMVER = re.compile(r"(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})")
_PLAY_MAX_VERSION_CODE = 2_100_000_000


@dataclass(frozen=True)
class ReleaseVersion:
    """A store-ready version: `name` as users see it, `build_number` as the stores order it."""

    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: str) -> ReleaseVersion:
        """Parse `MAJOR.MINOR.PATCH`, each part 0..999 without leading zeros."""
        match = _SEMVER.fullmatch(text.strip())
        if match is None:
            raise VersionError(
                f"version {text!r} must be MAJOR.MINOR.PATCH with each part 0-999 "
                "(no pre-release suffix): stores need a plain, increasing version"
            )
        major, minor, patch = (int(part) for part in match.groups())
        return cls(major, minor, patch)

    @property
    def name(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    @property
    def build_number(self) -> int:
        number = self.major * 1_000_000 + self.minor * 1_000 + self.patch
        if not 0 < number <= _PLAY_MAX_VERSION_CODE:
            raise VersionError(f"build number {number} for {self.name} is outside 1..2100000000")
        return number

    @property
    def tag(self) -> str:
        return f"v{self.name}"

    def check_tag(self, tag: str) -> None:
        """Refuse a release whose git tag is not exactly `v` + the pyproject version."""
        tag = tag.removeprefix("refs/tags/")
        if tag != self.tag:
            raise VersionError(
                f"tag {tag!r} does not match [project] version {self.name!r}: "
                f"bump pyproject.toml and tag {self.tag!r}, or retag"
            )


def read_version(pyproject: Path = ROOT / "pyproject.toml") -> ReleaseVersion:
    """Read `[project] version` from pyproject, the one place the version lives."""
    with pyproject.open("rb") as file:
        data = tomllib.load(file)
    return ReleaseVersion.parse(str(data["project"]["version"]))
