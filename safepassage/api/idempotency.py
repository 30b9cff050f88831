"""`Idempotency-Key` on creating POSTs: a retried request gets the first response, not a twin.

The key is claimed (a row under a unique constraint) in the same transaction as the write and
filled with the response before it commits: a crash leaves neither, and of two concurrent
duplicates only one writes; the other waits for the unique index and replays the first.
"""

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from safepassage.api.models import IdempotencyRecord
from safepassage.api.problems import ProblemException

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 200


class _Taken(Exception):
    """Another request claimed the key first."""


def _key(request: Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not all(33 <= ord(c) <= 126 for c in key):
        raise ProblemException("invalid-idempotency-key")
    return key


def _fingerprint(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _replay(record: IdempotencyRecord, request: Request, fingerprint: str) -> Response:
    if record.fingerprint != fingerprint or record.method != request.method:
        raise ProblemException(
            "idempotency-key-reused",
            _(
                "The Idempotency-Key “%(key)s” was used for another request (%(method)s "
                "%(path)s, or a different body). Use a new key for a new request."
            )
            % {"key": record.key, "method": record.method, "path": record.path},
        )
    return Response(
        record.response_body,
        status=record.response_status,
        headers={REPLAYED_HEADER: "true"},
    )


def idempotent(request: Request, perform: Callable[[], Response]) -> Response:
    """Run `perform` once per user and key; replay its response to a retry with the same body."""
    key = _key(request)
    if key is None:
        return perform()
    fingerprint = _fingerprint(request)
    user = request.user
    try:
        with transaction.atomic():
            existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
            if existing is not None:
                return _replay(existing, request, fingerprint)
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(
                        user=user, key=key, method=request.method, path=request.path[:500],
                        fingerprint=fingerprint, response_status=0,
                    )  # fmt: skip
            except IntegrityError:
                raise _Taken from None
            response = perform()
            if response.status_code < 300:
                record.response_status = response.status_code
                record.response_body = response.data
                record.save(update_fields=["response_status", "response_body"])
            else:
                record.delete()
            return response
    except _Taken:
        # The other request has finished (the unique index waited for it): replay it, or, if
        # it failed and left no record, run this one.
        record = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if record is None:
            return idempotent(request, perform)
        return _replay(record, request, fingerprint)
