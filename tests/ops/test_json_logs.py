"""LOG_FORMAT=json: one JSON object per line, after the redacting filter (no names, no queries)."""

import io
import json
import logging

from safepassage.ops.logging import JsonLinesFormatter
from safepassage.web.logging import RedactSensitiveFilter
from tests.ops.conftest import run, safepassage_env


def _logger(stream: io.StringIO) -> logging.Logger:
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSensitiveFilter())
    handler.setFormatter(JsonLinesFormatter())
    logger = logging.getLogger("tests.ops.json")
    logger.handlers = [handler]
    logger.propagate = False
    return logger


def test_each_record_is_one_json_line_without_query_or_exception_message():
    stream = io.StringIO()
    logger = _logger(stream)
    logger.warning("Not Found: %s", "/persons/?q=Kovalenko", extra={"status_code": 404})
    statement = "next of kin: Olena Kovalenko, Kharkiv"
    try:
        raise ValueError(statement)  # the frame shows this line, not the value
    except ValueError:
        logger.exception("Internal Server Error: /persons/UA-2025-000001/")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["level"] == "WARNING" and first["status"] == 404
    assert first["message"] == "Not Found: /persons/?[withheld]"
    assert "ValueError: [withheld]" in second["traceback"]
    assert "Kovalenko" not in stream.getvalue()


def test_the_setting_switches_the_console_to_json(tmp_path):
    code = "import logging; logging.getLogger('django.request').warning('hello %s', '/x?q=Kim')"
    result = run(safepassage_env(tmp_path, LOG_FORMAT="json"), "shell", "-v0", "-c", code)
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["logger"] == "django.request"
    assert line["message"] == "hello /x?[withheld]"
