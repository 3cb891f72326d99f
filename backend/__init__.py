"""Duka's companion backend: holds every Daraja secret so that no phone ever does.

`create_app(settings)` builds the FastAPI app; `python -m backend` is the command line.
"""

from __future__ import annotations

from backend.app import create_app
from backend.core.clock import Clock, ManualClock, SystemClock
from backend.core.config import Settings
from backend.migrations import upgrade_database

__all__ = ["Clock", "ManualClock", "Settings", "SystemClock", "create_app", "upgrade_database"]
