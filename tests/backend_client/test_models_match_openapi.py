"""The committed models are exactly what the running backend's `/openapi.json` generates."""

from __future__ import annotations

from pathlib import Path

import httpx

from backend_client import _codegen, models
from tests.support.backend_fixtures import BackendSubprocess


def test_committed_models_match_the_backend_schema(backend: BackendSubprocess) -> None:
    spec = httpx.get(f"{backend.url}/openapi.json", timeout=30).json()
    committed = Path(models.__file__).read_text()
    assert _codegen.generate(spec) == committed, (
        "backend_client/models.py is stale: run python scripts/gen_client_models.py"
    )
