"""Where an uploaded list waits for its job: sealed with the field keys, never in plain files.

While the request is read, `SealingUploadHandler` seals each piece of the file as it arrives
(an anonymous temporary file holds only ciphertext; Django's own handlers would write the list
in plain text to a named file in /tmp). Once the upload is accepted, `parts_store` moves the
pieces into `ImportUploadPart` rows, sealed for that column, where a worker on any machine can
read them. `upload_opened` gives the import a path to the plain bytes for as long as it runs:
on Linux a memory-only file (`memfd_create`, gone when the process ends, even by SIGKILL);
elsewhere a private temporary file, removed afterwards.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import os
import struct
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import transaction
from django.utils import timezone

from safepassage.crypto.keys import keyring
from safepassage.imports.models import ImportJob, ImportUploadPart
from safepassage.lib.crypto import open_sealed, seal
from safepassage.lib.ids import ids_reserve
from safepassage.web.uploads import upload_max_bytes

PART_BYTES = 64 * 1024  # a key rotation rewrites 500 rows at a time: keep them small
UPLOAD_KEEP = datetime.timedelta(days=1)
_IN_TRANSIT = "imports.upload-in-transit"  # the associated data of the request's pieces
_LENGTH = struct.Struct(">I")


def max_upload_bytes() -> int:
    """The one limit of every upload (`UPLOAD_MAX_MB`)."""
    return upload_max_bytes()


class SealedUpload(UploadedFile):
    """The uploaded file as sealed pieces in an anonymous temporary file."""

    def pieces(self) -> Iterator[bytes]:
        """The plain bytes, piece by piece."""
        handle = self.file
        handle.seek(0)
        ring = keyring()
        while header := handle.read(_LENGTH.size):
            (length,) = _LENGTH.unpack(header)
            token = handle.read(length).decode("ascii")
            yield base64.b64decode(open_sealed(ring, token, _IN_TRANSIT))


class SealingUploadHandler(FileUploadHandler):
    """Seals an upload as it arrives; stops it past `max_upload_bytes()`.

    A view that installs it must be `csrf_exempt` and check the token itself afterwards
    (`csrf_protect`): the middleware would otherwise read the body with the default handlers.
    """

    chunk_size = PART_BYTES

    def __init__(self, request=None):
        super().__init__(request)
        self.too_large = False
        self.received = 0
        self.sealed: IO[bytes] | None = None
        self.pending = b""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        if self.sealed is not None:  # one file per upload
            raise StopUpload(connection_reset=True)
        self.sealed = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the SealedUpload

    def _seal(self, data: bytes) -> None:
        if self.sealed is None:  # data before a file started: the parser never does this
            raise StopUpload(connection_reset=True)
        token = seal(keyring(), base64.b64encode(data).decode("ascii"), _IN_TRANSIT).encode()
        self.sealed.write(_LENGTH.pack(len(token)) + token)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.received > max_upload_bytes():
            self.too_large = True
            # The rest of the body is read and dropped, so the browser gets the page saying why.
            raise StopUpload(connection_reset=False)
        self.pending += raw_data
        while len(self.pending) >= PART_BYTES:
            self._seal(self.pending[:PART_BYTES])
            self.pending = self.pending[PART_BYTES:]
        return None

    def file_complete(self, file_size: int) -> SealedUpload | None:
        if self.sealed is None:
            return None
        if self.pending:
            self._seal(self.pending)
            self.pending = b""
        return SealedUpload(
            file=self.sealed,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
        )


def parts_store(*, job: ImportJob, pieces: Iterator[bytes]) -> int:
    """Keep an upload's pieces beside its job (in the caller's transaction); returns its size."""
    size = 0
    batch: list[ImportUploadPart] = []

    def write(batch: list[ImportUploadPart]) -> None:
        # Each part is sealed for its own row, so it needs its id before the insert.
        for part, pk in zip(batch, ids_reserve(ImportUploadPart, len(batch)), strict=True):
            part.pk = pk
        ImportUploadPart.objects.bulk_create(batch)

    for number, piece in enumerate(pieces):
        size += len(piece)
        batch.append(
            ImportUploadPart(job=job, number=number, data=base64.b64encode(piece).decode("ascii"))
        )
        if len(batch) >= 50:
            write(batch)
            batch = []
    write(batch)
    return size


def parts_discard(*, job: ImportJob) -> None:
    ImportUploadPart.objects.filter(job=job).delete()


def parts_prune() -> int:
    """Remove the uploads of jobs untouched for a day (imported or not); returns the count."""
    stale = ImportJob.objects.filter(updated_at__lt=timezone.now() - UPLOAD_KEEP)
    deleted, _by_model = ImportUploadPart.objects.filter(job__in=stale).delete()
    return deleted


def _plain_pieces(job: ImportJob) -> Iterator[bytes]:
    # Instances, not values_list(): each part opens only with its own row's id.
    for part in (
        ImportUploadPart.objects.filter(job=job)
        .order_by("number")
        .only("pk", "data")
        .iterator(chunk_size=20)
    ):
        yield base64.b64decode(part.data)


@contextlib.contextmanager
def upload_opened(job: ImportJob) -> Iterator[Path | None]:
    """A path to the upload's plain bytes while the block runs; None when it is no longer kept."""
    if job.bytes_total and not ImportUploadPart.objects.filter(job=job).exists():
        yield None
        return
    if hasattr(os, "memfd_create"):
        fd = os.memfd_create(f"safepassage-import-{job.pk}", os.MFD_CLOEXEC)
        try:
            with os.fdopen(os.dup(fd), "wb") as handle:
                for piece in _plain_pieces(job):
                    handle.write(piece)
            yield Path(f"/proc/self/fd/{fd}")
        finally:
            os.close(fd)
        return
    directory = Path(settings.VAR_DIR) / "imports"
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=directory, prefix=f"job-{job.pk}-")
    try:
        with os.fdopen(handle, "wb") as out:
            for piece in _plain_pieces(job):
                out.write(piece)
        yield Path(name)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)


def upload_stored(*, job: ImportJob, upload: SealedUpload) -> int:
    """Store a sealed upload's pieces for `job` in one transaction; returns its size."""
    with transaction.atomic():
        return parts_store(job=job, pieces=upload.pieces())
