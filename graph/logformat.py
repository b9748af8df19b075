"""Log output: `text` (one readable line) or `json` (one JSON object per line, for a log
collector), chosen by --log-format or INTEGRITY_LOG_FORMAT.

A request's line carries only what graph.app puts in its `request` fields: request id, client
name, audience, operation name, status, duration, SQL statement count and error codes. Identity
numbers are masked in every message and stack trace whichever format is used.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from graph.errors import redact_id_numbers

LOG_FORMATS = ("text", "json")
# The process id tells apart the lines of `serve --workers N`'s workers.
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s[%(process)d]: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, the process id (which
    worker), message, the request's fields when the record is a request line, and the stack
    trace when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
            "message": redact_id_numbers(record.getMessage()),
        }
        fields = getattr(record, "request", None)
        if isinstance(fields, dict):
            entry.update(fields)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = redact_id_numbers(record.exc_text)
        return json.dumps(entry, ensure_ascii=False, default=str)


def formatter(log_format: str) -> logging.Formatter:
    if log_format == "json":
        return JsonFormatter()
    return logging.Formatter(TEXT_FORMAT)
