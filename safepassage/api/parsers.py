"""JSON bodies up to `DATA_UPLOAD_MAX_MEMORY_SIZE`; a larger one is a 413 problem."""

import io

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.parsers import JSONParser

from safepassage.api.problems import ProblemException


class LimitedJSONParser(JSONParser):
    """DRF reads the stream itself, past Django's own size check: count the bytes here."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise ProblemException(
                "request-too-large",
                _("The request body is larger than %(limit)s bytes.") % {"limit": limit},
            )
        return super().parse(io.BytesIO(body), media_type, parser_context)
