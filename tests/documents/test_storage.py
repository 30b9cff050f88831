"""At rest: a marker inside an uploaded PDF is in no file under the data directory, the
storage, the upload temporary folder, nor in any S3 object; the same upload works on an
S3-compatible store (moto's server, started here on a free port of the loopback)."""

import secrets
import socket
import tempfile
from pathlib import Path

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safepassage.audit.models import AuditEvent
from safepassage.documents.models import Document
from tests.documents.builders import MARKER, pdf_with


def _upload(api, kim, user, content: bytes):
    return api(user).post(
        reverse("api:person-documents", kwargs={"person_id": kim.pk}),
        {"file": SimpleUploadedFile("scan.pdf", content), "kind": "medical_record",
         "title": "Jaw X-ray"},
        format="multipart",
    )  # fmt: skip


def _files_holding(marker: bytes, *folders: Path) -> list[Path]:
    found = []
    for folder in folders:
        if not folder.exists():
            continue
        for path in folder.rglob("*"):
            if path.is_file() and not path.is_symlink():
                try:
                    if marker in path.read_bytes():
                        found.append(path)
                except OSError:
                    continue
    return found


def test_the_marker_never_touches_a_file_on_disk(
    kim, everyone, api, documents_dir, tmp_path, settings, monkeypatch
):
    upload_tmp = tmp_path / "upload-tmp"
    upload_tmp.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(upload_tmp)
    monkeypatch.setattr(tempfile, "tempdir", str(upload_tmp))
    data = pdf_with(MARKER)
    marker = MARKER.encode()
    assert marker in data
    response = _upload(api, kim, everyone.detaining_doctor, data)
    assert response.status_code == 201, response.content
    document = Document.objects.get(pk=response.json()["id"])
    content = api(everyone.neutral_doctor).get(response.json()["content"])
    assert content.content == data  # it was stored, and opens
    assert list(documents_dir.rglob("*")), "nothing was stored: the test proves nothing"
    found = _files_holding(marker, Path(django_settings.VAR_DIR), documents_dir, upload_tmp,
                           Path(tempfile.gettempdir()))  # fmt: skip
    assert not found, f"the marker is in {found}"
    assert not any(MARKER in str(e.changes) + e.object_repr for e in AuditEvent.objects.all())
    assert document.versions.get().stored_name.count(MARKER) == 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def s3(settings, monkeypatch):
    """moto's S3 server on the loopback, a bucket in it, and the documents storage on it."""
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    for name, value in (("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test"),
                        ("AWS_DEFAULT_REGION", "us-east-1")):  # fmt: skip
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    # moto keeps its buckets for the whole process: a bucket of this test's own.
    bucket = f"safepassage-documents-{secrets.token_hex(4)}"
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **django_settings.STORAGES,
        "documents": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": bucket, "endpoint_url": endpoint,
                        "region_name": "us-east-1", "access_key": "test", "secret_key": "test",
                        "default_acl": None, "file_overwrite": False, "location": "docs"},
        },
    }  # fmt: skip
    yield client, bucket
    server.stop()


def _objects(s3) -> dict[str, bytes]:
    client, bucket = s3
    listed = client.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {o["Key"]: client.get_object(Bucket=bucket, Key=o["Key"])["Body"].read() for o in listed}


def test_on_an_s3_store_the_bytes_are_stored_encrypted_and_read_back_the_same(
    kim, everyone, api, s3
):
    data = pdf_with(MARKER)
    response = _upload(api, kim, everyone.detaining_doctor, data)
    assert response.status_code == 201, response.content
    objects = _objects(s3)
    assert len(objects) == 1
    ((key, stored),) = objects.items()
    assert key.startswith("docs/") and MARKER.encode() not in stored and stored != data
    assert api(everyone.interviewer).get(response.json()["content"]).content == data
    assert api(everyone.registrar).get(response.json()["content"]).status_code == 404


def test_on_an_s3_store_retention_deletes_the_objects(
    kim, everyone, api, s3, django_capture_on_commit_callbacks
):
    from safepassage.documents.services import documents_erase

    assert _upload(api, kim, everyone.detaining_doctor, pdf_with()).status_code == 201
    assert len(_objects(s3)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        erased = documents_erase(person=kim)
    assert erased == {"titles": 1, "files": 1}
    assert _objects(s3) == {}
