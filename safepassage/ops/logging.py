"""JSON-lines log records (LOG_FORMAT=json), after `RedactSensitiveFilter` has done its work.

Only the record's own fields are written — never `request` or extra attributes — so what the
redacting filter withheld (query strings, exception messages, the POST body) stays out.
"""

import datetime
import json
import logging


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        status = getattr(record, "status_code", None)
        if isinstance(status, int):
            entry["status"] = status
        if record.exc_info or record.exc_text:
            # The redacting filter has replaced exc_text with frames and the exception's type.
            entry["traceback"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
