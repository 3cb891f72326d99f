"""The package's public surface is exactly what `__all__` lists, and errors form one tree."""

from __future__ import annotations

from backend import daraja
from backend.daraja import errors

REQUIRED = {
    "DarajaClient", "DarajaCredentials", "Environment", "normalise_msisdn", "StkPushAck",
    "StkQueryResult", "StkCallback", "C2BNotification", "InitiatorAck", "InitiatorResult",
    "AccountBalance", "DynamicQr", "parse_stk_callback", "parse_c2b_notification", "parse_result",
    "DarajaError", "InvalidRequest", "InvalidPhoneNumber", "AuthError", "RateLimited",
    "DarajaUnavailable", "RejectedByMpesa", "OutcomeUnknown", "ConnectFailed", "CallbackParseError",
}  # fmt: skip


def test_all_names_exist_and_required_ones_are_exported() -> None:
    assert set(daraja.__all__) >= REQUIRED
    for name in daraja.__all__:
        assert hasattr(daraja, name), name
    assert sorted(daraja.__all__) == sorted(set(daraja.__all__))


def test_every_error_is_a_daraja_error_with_a_user_message() -> None:
    for name in errors.__all__:
        cls = getattr(errors, name)
        assert issubclass(cls, errors.DarajaError)
        error = cls("detail", code="500.003.02", request_id="r-1", raw={"a": 1})
        assert error.user_message and error.code == "500.003.02" and error.request_id == "r-1"


def test_secrets_never_in_repr() -> None:
    creds = daraja.DarajaCredentials(
        consumer_key="KEY-SECRET-1",
        consumer_secret="SECRET-2",
        shortcode="174379",
        passkey="PASSKEY-3",
        initiator_name="testapi",
        initiator_password="PASSWORD-4",
    )
    text = repr(creds) + str(creds)
    for secret in ("KEY-SECRET-1", "SECRET-2", "PASSKEY-3", "PASSWORD-4"):
        assert secret not in text
