"""Release tooling CLI, called by .github/workflows/release.yml and by people building locally.

    python -m build_config version [--tag vX.Y.Z] [--github-output FILE]
    python -m build_config matrix [--github-output FILE]
    python -m build_config stage [OUT]

Each fails with a one-line reason (exit 2) when the repository is not releasable as it stands.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from build_config.errors import ReleaseConfigError
from build_config.matrix import load_targets, workflow_matrix
from build_config.stage import ROOT, stage_app
from build_config.version import read_version


def _emit(lines: list[str], github_output: Path | None) -> None:
    """Print `key=value` lines, and append them to GitHub's step-output file when given."""
    text = "".join(f"{line}\n" for line in lines)
    if github_output:
        with github_output.open("a", encoding="utf-8") as out:
            out.write(text)
    sys.stdout.write(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_config", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    version = commands.add_parser("version", help="print version and build number")
    version.add_argument("--tag", help="git tag or ref being released; must equal v<version>")
    version.add_argument("--github-output", type=Path)
    matrix = commands.add_parser("matrix", help="print the release job matrix as JSON")
    matrix.add_argument("--github-output", type=Path)
    stage = commands.add_parser("stage", help="assemble the tree `flet build` packages")
    stage.add_argument("out", type=Path, nargs="?", default=ROOT / "build" / "flet")
    args = parser.parse_args(argv)
    try:
        if args.command == "version":
            release = read_version()
            if args.tag:
                release.check_tag(args.tag)
            _emit(
                [f"version={release.name}", f"build_number={release.build_number}"],
                args.github_output,
            )
        elif args.command == "matrix":
            plan = json.dumps(workflow_matrix(load_targets()), separators=(",", ":"))
            _emit([f"matrix={plan}"], args.github_output)
        else:
            staged = stage_app(args.out)
            sys.stdout.write(f"staged {len(staged)} files in {args.out}\n")
    except (ReleaseConfigError, ValueError, FileNotFoundError) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
