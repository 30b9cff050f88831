"""`Idempotency-Key` on creating POSTs: a retried request gets the first answer, not a twin.

The key is claimed (a row under a unique constraint) in the same transaction as the write and
filled before it commits: a crash leaves neither, and of two concurrent duplicates only one
writes; the other waits for the unique index and replays the first.

A record keeps only what a replay needs: the digest of the request, the status answered and
which resource was written (type and id), never the answer's body, which may hold decrypted
statements or contacts. Both the first answer and every replay read the resource through the
view's read path for the caller of the moment, so a replay never shows more than a fresh GET
would, and a caller who lost access meanwhile gets that GET's 404 or 403. After
`IDEMPOTENCY_HOURS` a key no longer replays; a background job deletes the expired records.
"""

import datetime
import hashlib
import json
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from safepassage.api.models import IdempotencyRecord
from safepassage.api.problems import ProblemException
from safepassage.api.services import idempotency_expiry
from safepassage.api.tasks import idempotency_prune

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 200
FINGERPRINT_SALT = "safepassage.api.idempotency"
# One pruning job per process and hour is enough: each covers the records of its hour.
PRUNE_THROTTLE_KEY = "idempotency:prune-scheduled"
PRUNE_EVERY = datetime.timedelta(hours=1)

Read = Callable[[int], Response]


class _Taken(Exception):
    """Another request claimed the key first."""


def _key(request: Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not all(33 <= ord(c) <= 126 for c in key):
        raise ProblemException("invalid-idempotency-key")
    return key


def _request_text(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), default=str)
    return f"{request.method} {request.path}\n{body}"


def _fingerprint(request: Request, secret: str | None = None) -> str:
    """HMAC-SHA-256 of the request under the server's secret: a copy of the database alone
    cannot confirm a guessed statement or contact against it, as a plain hash would let it."""
    text = _request_text(request)
    return salted_hmac(FINGERPRINT_SALT, text, secret=secret, algorithm="sha256").hexdigest()


def _same_request(record: IdempotencyRecord, request: Request, fingerprint: str) -> bool:
    """The record was made by this request: its digest under the current secret or a fallback
    (`SECRET_KEY_FALLBACKS`), or, for a record kept by the upgrade, the plain SHA-256 of old."""
    if record.method != request.method:
        return False
    if not record.resource_type:
        legacy = hashlib.sha256(_request_text(request).encode()).hexdigest()
        return constant_time_compare(record.fingerprint, legacy)
    candidates = [fingerprint] + [
        _fingerprint(request, secret) for secret in settings.SECRET_KEY_FALLBACKS
    ]
    return any(constant_time_compare(record.fingerprint, c) for c in candidates)


def _answer(read: Read, resource_id: int, status: int) -> Response:
    response = read(resource_id)
    response.status_code = status
    return response


def _replay(record: IdempotencyRecord, request: Request, fingerprint: str, read: Read) -> Response:
    if not _same_request(record, request, fingerprint):
        raise ProblemException(
            "idempotency-key-reused",
            _(
                "The Idempotency-Key “%(key)s” was used for another request (%(method)s "
                "%(path)s, or a different body). Use a new key for a new request."
            )
            % {"key": record.key, "method": record.method, "path": record.path},
        )
    response = _answer(read, record.resource_id, record.response_status)
    response[REPLAYED_HEADER] = "true"
    return response


def _live_record(user, key: str) -> IdempotencyRecord | None:
    """The user's record of `key`, unless it has expired (then it is deleted: the key is new)."""
    record = IdempotencyRecord.objects.filter(user=user, key=key).first()
    if record is not None and record.created_at < idempotency_expiry():
        record.delete()
        return None
    return record


def _prune_scheduled() -> None:
    """After commit, queue the job that deletes this hour's records once they have expired."""
    if not cache.add(PRUNE_THROTTLE_KEY, True, timeout=int(PRUNE_EVERY.total_seconds())):
        return
    task = idempotency_prune
    if task.get_backend().supports_defer:
        later = timezone.now() + datetime.timedelta(hours=settings.IDEMPOTENCY_HOURS) + PRUNE_EVERY
        task = task.using(run_after=later)
    transaction.on_commit(task.enqueue)


def idempotent(
    request: Request,
    write: Callable[[], models.Model],
    read: Read,
    *,
    status: int = 201,
) -> Response:
    """Run `write` once per user and key and answer `read(id of what it wrote)` with `status`;
    a retry with the same body writes nothing and answers `read` of the same resource again."""
    key = _key(request)
    if key is None:
        with transaction.atomic():  # the write, and the audited read of its answer, or neither
            return _answer(read, write().pk, status)
    fingerprint = _fingerprint(request)
    user = request.user
    try:
        with transaction.atomic():
            existing = _live_record(user, key)
            if existing is not None:
                return _replay(existing, request, fingerprint, read)
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(
                        user=user, key=key, method=request.method, path=request.path[:500],
                        fingerprint=fingerprint, response_status=0,
                    )  # fmt: skip
            except IntegrityError:
                raise _Taken from None
            resource = write()
            response = _answer(read, resource.pk, status)
            record.response_status = status
            record.resource_type = resource._meta.label_lower
            record.resource_id = resource.pk
            record.save(update_fields=["response_status", "resource_type", "resource_id"])
            _prune_scheduled()
            return response
    except _Taken:
        # The other request has finished (the unique index waited for it): replay it, or, if
        # it failed and left no record, run this one.
        record = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if record is None:
            return idempotent(request, write, read, status=status)
        return _replay(record, request, fingerprint, read)
