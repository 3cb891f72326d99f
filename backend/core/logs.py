"""Keep secrets out of logs: the callback path segment travels in URLs that servers log."""

from __future__ import annotations

import logging


class RedactSecrets(logging.Filter):
    """Replace each given secret with `***` in a record's message and arguments."""

    def __init__(self, *secrets: str) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def _clean(self, value: object) -> object:
        if isinstance(value, int | float | type(None)):
            return value
        text = value if isinstance(value, str) else str(value)  # e.g. httpx.URL
        if not any(secret in text for secret in self.secrets):
            return value
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self._clean(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(self._clean(a) for a in record.args)
        return True


# Loggers that print request lines (uvicorn's access log, httpx's request log).
URL_LOGGERS = ("uvicorn.access", "uvicorn.error", "httpx", "httpcore")


def install_redaction(*secrets: str) -> RedactSecrets:
    redactor = RedactSecrets(*secrets)
    for name in URL_LOGGERS:
        logging.getLogger(name).addFilter(redactor)
    return redactor


def remove_redaction(redactor: RedactSecrets) -> None:
    for name in URL_LOGGERS:
        logging.getLogger(name).removeFilter(redactor)
