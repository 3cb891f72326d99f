"""Errors the money tools add to the backend's tree (`backend/errors.py`).

    BackendError
    ├── MpesaRefused      502: M-PESA answered with a final "no" (wrong initiator, no such code…)
    └── MpesaNoAnswer     504: M-PESA has not sent its Result yet; try again in a minute

Both carry a `message` the owner can act on; neither ever quotes a credential.
"""

from __future__ import annotations

from backend.errors import BackendError


class MpesaRefused(BackendError):
    status = 502
    code = "mpesa_refused"


class MpesaNoAnswer(BackendError):
    status = 504
    code = "mpesa_no_answer"
