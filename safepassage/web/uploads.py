"""Uploads of every kind: one size limit (`UPLOAD_MAX_MB`), held in memory, never in a file.

Django's own handlers write any upload above 2.5 MB in plain text to a named file in the
temporary folder: a list of prisoners' names on disk for as long as the request runs, and in
the free blocks of the disk after. `MemoryUploadHandler` (the only handler in
`FILE_UPLOAD_HANDLERS`) keeps every file of a request in memory, up to `UPLOAD_MAX_MB` for the
whole request; past it the rest of the body is read and dropped, and the file arrives as an
`OversizedUpload` that `UploadField` refuses with a message naming the limit. Person imports
install their own handler, which seals what it receives (`imports/uploads.py`) under the same
limit.
"""

import io

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext as _


def upload_max_bytes() -> int:
    """The largest upload a request may carry, all its files together."""
    return int(settings.UPLOAD_MAX_MB) * 1024 * 1024


def upload_too_large_message() -> str:
    return _("The file is larger than %(mb)s MB. Split the list and upload the parts.") % {
        "mb": settings.UPLOAD_MAX_MB
    }


class OversizedUpload(InMemoryUploadedFile):
    """A file that went past the limit: its name and the bytes counted, none of its content."""

    too_large = True


class MemoryUploadHandler(FileUploadHandler):
    """Every file of a request in memory, the request's files together bounded by the limit."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0  # over every file of the request
        self.buffer: io.BytesIO | None = None
        self.file_received = 0
        self.too_large = False

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()
        self.file_received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        self.file_received += len(raw_data)
        if self.received > upload_max_bytes():
            self.too_large = True
            self.buffer = None  # let go of what was kept; the rest is counted, not kept
        elif self.buffer is not None:
            self.buffer.write(raw_data)
        return None  # no other handler sees the data

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        if self.buffer is None:
            return OversizedUpload(
                file=io.BytesIO(), field_name=self.field_name, name=self.file_name,
                content_type=self.content_type, size=self.file_received,
                charset=self.charset, content_type_extra=self.content_type_extra,
            )  # fmt: skip
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer, field_name=self.field_name, name=self.file_name,
            content_type=self.content_type, size=file_size, charset=self.charset,
            content_type_extra=self.content_type_extra,
        )  # fmt: skip


class UploadField(forms.FileField):
    """A file field that refuses an upload past `UPLOAD_MAX_MB`, naming the limit."""

    def validate(self, value) -> None:
        super().validate(value)
        if value and (getattr(value, "too_large", False) or value.size > upload_max_bytes()):
            raise forms.ValidationError(upload_too_large_message(), code="too_large")
