"""Structured logs and optional error reporting.

`JSONFormatter` writes each log record as one JSON object per line (time, level, logger,
message, the request's method, path and status where Django attaches them, and the exception).
`error_reporting_init` sends unhandled errors to a Sentry-compatible service (Sentry,
GlitchTip) when `SENTRY_DSN` is set; personal data is not sent (the SDK's default)."""

import json
import logging
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else was passed in `extra` and is kept.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "method"):
            entry["method"], entry["path"] = request.method, request.path
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in ("request", "server_time") and key not in entry:
                entry[key] = value if isinstance(value, str | int | float | bool | None) else repr(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def error_reporting_init(*, dsn: str, environment: str) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        traces_sample_rate=0,
    )
