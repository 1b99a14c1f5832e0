"""Logging: one JSON object a line, tagged with the request id, and never a secret."""

from __future__ import annotations

import json
import logging
import re
import sys
from contextvars import ContextVar
from datetime import UTC, datetime

from hotgigs.config import Settings

# A WebSocket carries its access token in the query string (browsers cannot set headers on
# one), and servers log request lines with the query: keep the token out of the logs.
_SECRET_PARAMETER = re.compile(r"((?:^|[?&])(?:token|access_token|code)=)[^&\s\"']+")
SERVER_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
# The id of the request (or of the task it queued) being handled; set by the middleware
# in the API and from the task's headers in the worker.
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def redact(text: str) -> str:
    """`text` with the values of token-like query parameters replaced by `[redacted]`."""
    return _SECRET_PARAMETER.sub(r"\1[redacted]", text)


class RedactSecrets(logging.Filter):
    """Rewrites a record's message without secrets; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        # The whole message, as formatted: a secret may be split between format and args.
        record.msg = redact(record.getMessage())
        record.args = ()
        return True


class WithRequestId(logging.Filter):
    """Stamps each record with the current request id (`-` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id and any `fields`."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON line; an exception goes in `exception` as text."""
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(settings: Settings) -> None:
    """Send every logger's records to stderr in LOG_FORMAT, at LOG_LEVEL, redacted."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactSecrets())
    handler.addFilter(WithRequestId())
    handler.setFormatter(
        JsonFormatter() if settings.log_format == "json" else logging.Formatter(TEXT_FORMAT)
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level.upper())
    # The web server's loggers come with handlers of their own: let them flow to ours.
    for name in SERVER_LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True


def redact_server_logs() -> None:
    """Install the filter on the web server's loggers, for servers that log on their own."""
    for name in SERVER_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
