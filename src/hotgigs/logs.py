"""Logging safeguards: secrets in URLs never reach a log line."""

from __future__ import annotations

import logging
import re

# A WebSocket carries its access token in the query string (browsers cannot set headers on
# one), and servers log request lines with the query: keep the token out of the logs.
_SECRET_PARAMETER = re.compile(r"((?:^|[?&])(?:token|access_token|code)=)[^&\s\"']+")
SERVER_LOGGERS = ("uvicorn.error", "uvicorn.access")


def redact(text: str) -> str:
    """`text` with the values of token-like query parameters replaced by `[redacted]`."""
    return _SECRET_PARAMETER.sub(r"\1[redacted]", text)


class RedactSecrets(logging.Filter):
    """Rewrites a record's message and arguments without secrets; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


def redact_server_logs() -> None:
    """Install the filter on the web server's loggers (once per process)."""
    for name in SERVER_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
