"""Daraja's synchronous error envelope and the exceptions that produce it.

Every failure leaves the simulator as `{"requestId", "errorCode", "errorMessage"}` with the HTTP
status taken from the code's first segment (REFERENCE.md §1.1) — never as a traceback.

    DarajaError                 any synchronous Daraja error (status + errorCode + errorMessage)
    └── BadRequest              400.002.02 "Bad Request - Invalid <Field>" (field validation)
    LedgerError                 a money movement refused; carries the async ResultCode to report
    DeliveryError               a callback or validation request got no HTTP answer
    SimControlError             (client side) the control API refused a request

OAuth's "wrong key/secret" answer is not an envelope at all (400, empty body, §2.3); `auth.py`
returns it directly.
"""

from __future__ import annotations

from typing import Any


class DarajaError(Exception):
    """A synchronous error Daraja would answer with; carries the envelope's fields."""

    def __init__(self, code: str, message: str, *, status: int | None = None) -> None:
        super().__init__(f"{code} {message}")
        self.code = code
        self.message = message
        self.status = status if status is not None else int(code.split(".", 1)[0] or 500)

    def envelope(self, request_id: str) -> dict[str, str]:
        """Return the JSON body Daraja sends for this error."""
        return {"requestId": request_id, "errorCode": self.code, "errorMessage": self.message}


class BadRequest(DarajaError):
    """A field failed validation: `400.002.02 Bad Request - Invalid <Field>`."""

    def __init__(self, field: str, code: str = "400.002.02", suffix: str = "") -> None:
        super().__init__(code, f"Bad Request - Invalid {field}{suffix}")
        self.field = field


NOT_FOUND = DarajaError("404.001.01", "Resource not found")
METHOD_NOT_ALLOWED = DarajaError("405.001", "Method Not Allowed")
INTERNAL = DarajaError("500.003.1001", "Internal Server Error")
SPIKE_ARREST = DarajaError("500.003.02", "Error Occurred: Spike Arrest Violation")
QUOTA = DarajaError("500.003.03", "Error Occurred: Quota Violation")
PAYLOAD_TOO_LARGE = DarajaError("400.002.05", "Invalid Request Payload", status=400)


class LedgerError(Exception):
    """A movement the ledger refuses; `result_code` is the Daraja ResultCode to report."""

    def __init__(self, result_code: int | str, description: str) -> None:
        super().__init__(description)
        self.result_code = result_code
        self.description = description


class DeliveryError(Exception):
    """A callback or validation request got no HTTP answer (refused, timed out, garbled)."""


class SimControlError(Exception):
    """The simulator refused a control request; `body` holds its JSON answer."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(f"control API answered {status}: {body}")
        self.status = status
        self.body = body
