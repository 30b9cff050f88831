"""The log filter withholds query strings, request bodies and exception messages."""

import logging
import sys

from safepassage.web.logging import WITHHELD, RedactSensitiveFilter


def _record(msg, *args, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("django.request", logging.ERROR, __file__, 1, msg, args, exc_info)


def test_it_withholds_query_strings():
    record = _record("Internal Server Error: %s", "/?q=Kim+Chol+Su&page=2")
    RedactSensitiveFilter().filter(record)
    assert "Kim" not in record.getMessage()
    assert record.getMessage() == f"Internal Server Error: /?{WITHHELD}"


def test_it_withholds_exception_messages_but_keeps_the_traceback():
    secret = "next of kin: " + "Kim Yong Hui, Pyongyang"
    try:
        raise ValueError(secret)
    except ValueError:
        record = _record("boom", exc_info=sys.exc_info())
    record.request = object()
    RedactSensitiveFilter().filter(record)
    text = logging.Formatter().format(record)
    assert "Kim Yong Hui" not in text
    assert "test_it_withholds_exception_messages" in text
    assert f"ValueError: {WITHHELD}" in text
    assert record.request is None


def test_the_console_handler_uses_the_filter(settings):
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["redact"]
    assert "mail_admins" not in settings.LOGGING["handlers"]
