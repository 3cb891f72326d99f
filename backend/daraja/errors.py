"""Every error the Daraja client raises, grouped by how the caller must react.

```
DarajaError                 base: code, request_id, raw, http_status, user_message
├── InvalidRequest          our input is wrong; fix it, do not retry as is
│   └── InvalidPhoneNumber  the customer's number is not a Kenyan M-PESA number
├── AuthError               consumer key/secret, API product or token rejected (after one refresh)
├── RateLimited             spike arrest or quota: wait a few seconds, then try again
├── DarajaUnavailable       Daraja failed before acting: safe to try again later
│   └── ConnectFailed       nothing was sent at all: safe to retry at once
├── OutcomeUnknown          sent, but no answer: reconcile by query, never resend blindly
├── RejectedByMpesa         final answer from M-PESA (bad shortcode, wrong credentials, busy phone)
│   └── DuplicateRequest    B2C v3 OriginatorConversationID already used: the first one counts
└── CallbackParseError      an inbound body is not a shape Daraja sends
```

No `httpx` exception ever crosses this package's boundary (`_http.py` translates them), and no
secret ever appears in a message: errors carry Daraja's own `errorCode`/`requestId` and body only.
"""

from __future__ import annotations

from typing import Any


class DarajaError(Exception):
    """Base of every Daraja client error; `user_message` is safe to show a cashier verbatim."""

    default_user_message = "M-PESA could not complete the request. Please try again."

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        request_id: str | None = None,
        raw: Any = None,
        http_status: int | None = None,
        user_message: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.request_id = request_id
        self.raw = raw
        self.http_status = http_status
        self.user_message = user_message or self.default_user_message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, code={self.code!r})"


class InvalidRequest(DarajaError):
    """The request breaks one of Daraja's rules; `field` names the offending input."""

    default_user_message = "Some payment details are not valid. Check them and try again."

    def __init__(self, message: str, *, field: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.field = field


class InvalidPhoneNumber(InvalidRequest):
    """The phone number cannot be turned into a Kenyan `2547…`/`2541…` M-PESA number."""

    default_user_message = (
        "That is not an M-PESA phone number. Enter it like 0712 345 678 or 0110 123 456."
    )


class AuthError(DarajaError):
    """Daraja refused our credentials or token (already refreshed once): a setup problem."""

    default_user_message = (
        "M-PESA is not set up correctly for this shop. Ask the owner to check it."
    )


class RateLimited(DarajaError):
    """Daraja's spike arrest or quota stopped the request before M-PESA saw it."""

    default_user_message = "M-PESA is busy, try again in a few seconds."


class DarajaUnavailable(DarajaError):
    """Daraja or M-PESA failed without acting on the request; trying later is safe."""

    default_user_message = "M-PESA is not answering right now. Try again in a minute."


class ConnectFailed(DarajaUnavailable):
    """No connection could be made, so nothing was sent: retrying cannot charge anyone twice."""

    default_user_message = "Cannot reach M-PESA. Check the internet connection and try again."


class OutcomeUnknown(DarajaError):
    """The request was sent but no answer came back; it may or may not have been acted on.

    Never resend a payment after this: look the outcome up (STK query, transaction status) instead.
    """

    default_user_message = (
        "M-PESA did not answer in time. Wait for the customer's confirmation before trying again."
    )


class RejectedByMpesa(DarajaError):
    """M-PESA gave a final refusal; `user_message` says why in plain words."""

    default_user_message = "M-PESA declined the request."


class DuplicateRequest(RejectedByMpesa):
    """This OriginatorConversationID was already used: the earlier request counts."""

    default_user_message = "This payment was already sent. Check its result before sending again."


class CallbackParseError(DarajaError):
    """An inbound body (callback, notification, result) is missing what Daraja always sends."""

    default_user_message = "Received an M-PESA message that could not be read."


__all__ = [
    "AuthError",
    "CallbackParseError",
    "ConnectFailed",
    "DarajaError",
    "DarajaUnavailable",
    "DuplicateRequest",
    "InvalidPhoneNumber",
    "InvalidRequest",
    "OutcomeUnknown",
    "RateLimited",
    "RejectedByMpesa",
]
