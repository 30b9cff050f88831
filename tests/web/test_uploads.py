"""The upload handler of every form: in memory only, one limit for a request's files together."""

import pytest
from django.core.exceptions import ValidationError

from safepassage.web.uploads import MemoryUploadHandler, UploadField


def _receive(handler: MemoryUploadHandler, name: str, data: bytes):
    handler.new_file("file", name, "text/csv", len(data))
    for start in range(0, len(data), 64 * 1024):
        handler.receive_data_chunk(data[start : start + 64 * 1024], start)
    return handler.file_complete(len(data))


def test_a_file_within_the_limit_arrives_whole_from_memory(settings):
    settings.UPLOAD_MAX_MB = 1
    upload = _receive(MemoryUploadHandler(), "a.csv", b"x" * 1000)
    assert upload.read() == b"x" * 1000 and not getattr(upload, "too_large", False)
    UploadField().clean(upload)


def test_files_of_one_request_are_bounded_together(settings):
    """Two files of 0.6 MB each: the second takes the request past 1 MB and is refused."""
    settings.UPLOAD_MAX_MB = 1
    handler = MemoryUploadHandler()
    first = _receive(handler, "a.csv", b"a" * 600_000)
    second = _receive(handler, "b.csv", b"b" * 600_000)
    assert first.size == 600_000 and not getattr(first, "too_large", False)
    assert second.too_large and second.read() == b"" and second.size == 600_000


def test_the_field_refuses_an_oversized_upload_naming_the_limit(settings):
    settings.UPLOAD_MAX_MB = 1
    upload = _receive(MemoryUploadHandler(), "big.csv", b"x" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="The file is larger than 1 MB"):
        UploadField().clean(upload)
