"""A logging filter that keeps names, statements and tokens out of the logs.

Search terms travel in query strings (`/?q=Kim`), and exception messages quote values
(a database error repeats the row it refused). The filter withholds both; the traceback's
files, lines and functions stay, which is what an administrator needs to report a fault.
"""

import logging
import re
import traceback

WITHHELD = "[withheld]"
_QUERY = re.compile(r"\?[^\s\"']*")


def redact_query_strings(text: str) -> str:
    return _QUERY.sub("?" + WITHHELD, text)


class RedactSensitiveFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record must still be logged
            message = str(record.msg)
        record.msg, record.args = redact_query_strings(message), ()
        # The request object carries the POST body; no handler here needs it.
        if hasattr(record, "request"):
            record.request = None
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, _value, tb = record.exc_info
            frames = "".join(traceback.format_list(traceback.extract_tb(tb)))
            record.exc_text = (
                f"Traceback (most recent call last):\n{frames}{exc_type.__qualname__}: {WITHHELD}"
            )
        record.stack_info = None
        return True
