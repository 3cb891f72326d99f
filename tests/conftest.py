"""Shared pytest configuration: fixtures live in plugin modules, one per component."""

pytest_plugins: list[str] = ["tests.support.sim_fixtures", "tests.support.backend_fixtures"]
