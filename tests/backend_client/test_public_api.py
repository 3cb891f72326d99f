"""What the app imports stays importable, and the client stays shippable in the mobile app."""

from __future__ import annotations

import subprocess
import sys

import backend_client

# The app is built against these names: removing one is a breaking change, so it fails here.
PROMISED = {
    "AuthExpired", "Cashier", "Channel", "ConnectionState", "DukaClient", "DukaError", "Event",
    "FletSecureTokenStore", "Forbidden", "Health", "InsecureURL", "InvalidInput",
    "KeyringTokenStore", "MemoryTokenStore", "NetworkError", "NotFound", "Payment", "PaymentPage",
    "PaymentStatus", "RateLimited", "Readiness", "ServerError", "Session", "StreamOptions",
    "SyncDukaClient", "Takings", "TakingsBreakdown", "TakingsHour", "Till", "TokenStore",
    "TokenStoreUnavailable", "models", "new_idempotency_key",
}  # fmt: skip


def test_all_lists_exactly_the_promised_names_and_each_exists() -> None:
    assert set(backend_client.__all__) == PROMISED
    for name in backend_client.__all__:
        assert getattr(backend_client, name) is not None


def test_client_imports_nothing_the_mobile_app_does_not_ship() -> None:
    code = (
        "import sys, backend_client, backend_client.money, backend_client.sync;"
        "bad = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'pydantic', 'fastapi', 'starlette', 'sqlalchemy', 'backend', 'uvicorn', 'keyring',"
        " 'flet_secure_storage'});"
        "print(','.join(bad))"
    )
    done = subprocess.run(  # noqa: S603 - our interpreter, our fixed code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""
