"""The backend's public surface: `__all__` lists exactly what the package exports."""

from __future__ import annotations

import backend


def test_all_names_exist_and_nothing_public_is_missing() -> None:
    for name in backend.__all__:
        assert getattr(backend, name) is not None
    assert sorted(backend.__all__) == backend.__all__
    assert {"create_app", "Settings", "upgrade_database"} <= set(backend.__all__)


def test_create_app_builds_nothing_at_import_and_needs_settings() -> None:
    app = backend.create_app(backend.Settings(_env_file=None))  # type: ignore[call-arg]
    schema = app.openapi()
    names = set(schema["components"]["schemas"])
    assert {"PaymentPublic", "SessionPublic", "TakingsDay", "TillPublic", "ErrorBody"} <= names
    assert "secret" not in str(schema.get("components", {}).get("examples", ""))
