"""What B2C, B2B, Transaction Status, Account Balance and Reversal share (REFERENCE.md §7).

Each is a synchronous acknowledgement now and a Result POSTed to ResultURL later (or a notice to
QueueTimeOutURL). `send_initiator_request` fills in the initiator and SecurityCredential.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from backend.daraja._rules import callback_url, plain_text
from backend.daraja._session import Session
from backend.daraja.errors import DarajaUnavailable, RejectedByMpesa

REMARKS_MIN, REMARKS_MAX = 2, 100
OCCASION_MAX = 100

ParameterValue = str | int | float | None


@dataclass(frozen=True, slots=True)
class InitiatorAck:
    """Daraja accepted the request for processing; the result comes to ResultURL."""

    conversation_id: str
    originator_conversation_id: str
    response_code: str
    response_description: str


@dataclass(frozen=True, slots=True)
class InitiatorResult:
    """The asynchronous Result of an initiator API; `parameters` and `reference` keyed by name."""

    result_type: int
    result_code: str
    result_desc: str
    originator_conversation_id: str
    conversation_id: str
    transaction_id: str | None
    parameters: dict[str, ParameterValue] = field(default_factory=dict)
    reference: dict[str, ParameterValue] = field(default_factory=dict)

    @property
    def succeeded(self) -> bool:
        return self.result_code == "0"


@dataclass(frozen=True, slots=True)
class ResultUrls:
    """Validated ResultURL and QueueTimeOutURL."""

    result_url: str
    timeout_url: str

    @classmethod
    def build(cls, result_url: str, timeout_url: str, *, https_only: bool) -> ResultUrls:
        return cls(
            callback_url(result_url, "result_url", https_only=https_only),
            callback_url(timeout_url, "timeout_url", https_only=https_only),
        )

    def to_wire(self) -> dict[str, str]:
        return {"ResultURL": self.result_url, "QueueTimeOutURL": self.timeout_url}


def remarks_text(value: object) -> str:
    """Remarks: 2–100 plain characters (REFERENCE.md §7.3)."""
    return plain_text(value, "remarks", min_len=REMARKS_MIN, max_len=REMARKS_MAX)


def occasion_text(value: object) -> str:
    """Occasion: optional, up to 100 plain characters."""
    return plain_text(value, "occasion", max_len=OCCASION_MAX, required=False)


async def send_initiator_request(
    session: Session, path: str, body: dict[str, Any], *, safe_to_repeat: bool
) -> InitiatorAck:
    """POST an initiator request and read the acknowledgement (REFERENCE.md §7.1)."""
    answer = await session.call(path, body, safe_to_repeat=safe_to_repeat)
    code = str(answer.get("ResponseCode", "")).strip()
    if code != "0":
        raise RejectedByMpesa(
            f"request not accepted: {code} {answer.get('ResponseDescription', '')}",
            code=code or None,
            raw=answer,
        )
    try:
        return InitiatorAck(
            conversation_id=str(answer.get("ConversationID") or ""),
            originator_conversation_id=str(answer["OriginatorConversationID"]),
            response_code=code,
            response_description=str(answer.get("ResponseDescription", "")),
        )
    except KeyError:
        raise DarajaUnavailable(
            "acknowledgement lacks OriginatorConversationID", raw=answer
        ) from None
