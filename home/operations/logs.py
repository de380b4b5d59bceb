"""Log lines as JSON objects, one per line, for the machines that collect and search them.

Used by Django's LOGGING (cms/settings/) and by gunicorn (deploy/gunicorn.conf.py), so it imports
nothing from Django: gunicorn's master configures logging before the application is loaded.
"""

import datetime
import json
import logging

# Attributes every LogRecord has. Anything else on a record came from `extra=` and is a field.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
# Django's own log calls add the request object itself; the request id already identifies it.
_SKIPPED = {"request", "server_time"}


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, the record's extra fields and, for errors, the traceback."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in _SKIPPED and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
