"""Regenerate `backend_client/models.py` from the backend's OpenAPI document.

    python scripts/gen_client_models.py                 # from the backend app, in-process
    python scripts/gen_client_models.py --url http://127.0.0.1:8000   # from a running backend
    python scripts/gen_client_models.py --check         # exit 1 if the committed file is stale

In-process mode builds the app with throwaway settings and asks FastAPI for the schema: nothing
is served and no database is touched. The generator itself is `backend_client._codegen`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend_client import _codegen  # noqa: E402 - after making the repo importable

TARGET = ROOT / "backend_client" / "models.py"


def spec_from_app() -> dict[str, Any]:
    """Ask the backend's app factory for its OpenAPI document without serving it."""
    from backend import create_app  # noqa: PLC0415 - only this mode needs the backend installed
    from backend.core.config import Settings  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp}/openapi.db")
        return create_app(settings).openapi()


def spec_from_url(base_url: str) -> dict[str, Any]:
    import httpx  # noqa: PLC0415

    response = httpx.get(f"{base_url.rstrip('/')}/openapi.json", timeout=30)
    response.raise_for_status()
    return response.json()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="base URL of a running backend (default: build the app)")
    parser.add_argument("--check", action="store_true", help="fail if models.py is out of date")
    args = parser.parse_args(argv)
    spec = spec_from_url(args.url) if args.url else spec_from_app()
    source = _codegen.generate(spec)
    if args.check:
        if TARGET.read_text() != source:
            print(f"{TARGET} is out of date: run python scripts/gen_client_models.py")
            return 1
        return 0
    TARGET.write_text(source)
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
