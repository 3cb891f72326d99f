"""What B2C, B2B, Transaction Status, Account Balance and Reversal share (§7.1, §7.2, §8).

Each family validates its own fields, then hands an `Outcome` to `InitiatorService.respond`, which
acknowledges synchronously and POSTs the Result to ResultURL after `callback_delay_seconds` — or,
when a test armed a result timeout, a timeout notice to QueueTimeOutURL instead. The envelope
reproduces §12's quirks per family: `ResultCode` number or string, `ReferenceItem` object or list,
`ResultParameters` absent on failure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from daraja_sim import fields
from daraja_sim.errors import BadRequest, DarajaError
from daraja_sim.security import credential_ok
from daraja_sim.web import Request, Response, json_response

if TYPE_CHECKING:
    from daraja_sim.simulator import Simulator

ACK_TEXT = "Accept the service request successfully."
INITIATOR_INVALID = (2001, "The initiator information is invalid.")
NOT_PERMITTED = (2028, "The request is not permitted according to product assignment.")
SUCCESS_TEXT = "The service request is processed successfully."


@dataclass(slots=True)
class Outcome:
    """How one initiator request ended, ready to become a Result body."""

    code: int | str
    description: str
    transaction_id: str = ""
    parameters: list[dict[str, Any]] = field(default_factory=list)
    reference: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Family:
    """The wire quirks one API family's Result envelope has."""

    name: str
    code_as_string: bool
    reference_as_list: bool
    queue_url: str


def param(key: str, value: Any = None) -> dict[str, Any]:
    """Return a `{Key, Value}` ResultParameter; None leaves `Value` out, as Daraja can."""
    return {"Key": key} if value is None else {"Key": key, "Value": value}


@dataclass(slots=True)
class Common:
    """The fields every initiator request carries, already validated."""

    initiator: str
    credential_ok: bool
    result_url: str
    timeout_url: str
    body: dict[str, Any]


class InitiatorService:
    """Validate the shared fields, then acknowledge and deliver the Result."""

    def __init__(self, sim: Simulator) -> None:
        self._sim = sim

    def common(
        self,
        request: Request,
        *,
        family: str,
        initiator_key: str = "Initiator",
        field_code: str = "400.002.02",
        payload_error: DarajaError | None = None,
    ) -> Common:
        """Check the token, body, initiator, credential and both URLs."""
        self._sim.tokens.require(request, family)
        body = request.json_object(payload_error or BadRequest(initiator_key, field_code))
        initiator = fields.text(body, initiator_key, 100, code=field_code)
        credential = fields.text(body, "SecurityCredential", 4096, code=field_code)
        timeout_url = fields.url(body, "QueueTimeOutURL", field_code)
        result_url = fields.url(body, "ResultURL", field_code)
        return Common(
            initiator, credential_ok(initiator, credential), result_url, timeout_url, body
        )

    def respond(
        self, family: Family, common: Common, outcome: Outcome, originator_id: str | None = None
    ) -> Response:
        """Acknowledge now; deliver the Result (or a timeout notice) later."""
        sim = self._sim
        conversation_id = sim.ids.conversation_id(sim.now())
        originator = originator_id or sim.ids.originator_conversation_id()
        entry = sim.ledger.entries.get(outcome.transaction_id)
        if entry is not None and not entry.conversation_id:
            # Transaction Status can find a payout by the OriginatorConversationID it was sent with.
            entry.conversation_id = originator
        if sim.faults.take_result_timeout():
            notice = {
                "Result": {
                    "ResultType": 1,
                    "ResultCode": 1,
                    "ResultDesc": "The service request timed out.",
                    "OriginatorConversationID": originator,
                    "ConversationID": conversation_id,
                }
            }
            sim.later(
                sim.config.callback_delay_seconds,
                sim.callbacks.send,
                f"{family.name}_timeout",
                common.timeout_url,
                notice,
            )
        else:
            body = self.result_body(family, outcome, originator, conversation_id)
            sim.later(
                sim.config.callback_delay_seconds,
                sim.callbacks.send,
                f"{family.name}_result",
                common.result_url,
                body,
            )
        return json_response(
            {
                "ConversationID": conversation_id,
                "OriginatorConversationID": originator,
                "ResponseCode": "0",
                "ResponseDescription": ACK_TEXT,
            }
        )

    def result_body(
        self, family: Family, outcome: Outcome, originator: str, conversation_id: str
    ) -> dict[str, Any]:
        """Return the §7.2 Result envelope for `outcome` with `family`'s quirks."""
        code: int | str = outcome.code
        if family.code_as_string:
            code = str(code)
        items = [{"Key": "QueueTimeoutURL", "Value": family.queue_url}, *outcome.reference]
        result: dict[str, Any] = {
            "ResultType": 0,
            "ResultCode": code,
            "ResultDesc": outcome.description,
            "OriginatorConversationID": originator,
            "ConversationID": conversation_id,
            "TransactionID": outcome.transaction_id or self._sim.ids.receipt(self._sim.now()),
        }
        if str(outcome.code) == "0" and outcome.parameters:
            result["ResultParameters"] = {"ResultParameter": outcome.parameters}
        result["ReferenceData"] = {"ReferenceItem": items if family.reference_as_list else items[0]}
        return {"Result": result}


def money(amount: int) -> str:
    """Format whole shillings as Daraja's two-decimal strings."""
    return f"{amount}.00"
