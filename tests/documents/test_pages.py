"""Who may open and submit every page of documents, checked for everyone and the two doctors;
and what the pages do: upload, preview, download, a new version, a removal."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from safepassage.audit.models import AuditEvent
from safepassage.documents import urls as document_urls
from safepassage.documents.models import Document, DocumentState
from tests.documents.builders import MARKER, elf, jpeg_with_gps, pdf_with
from tests.documents.conftest import USERS
from tests.web.test_permissions import check_matrix_row

# The document is dora's medical record of Kim: the doctors and the verifier's interviewer
# open it; only dora's detaining power (dora) changes it; to everyone else it does not exist.
TABLE = """
url                  methods  alice dmitro petro ivan audrey adam vera victor lena minjun bruno oscar dora nadia
document_new         GET,POST ok    ok     403   403  403    403  ok   ok     ok   ok     404   404   ok   ok
document_detail      GET      404   404    404   404  404    404  ok   404    404  404    404   404   ok   ok
document_content     GET      404   404    404   404  404    404  ok   404    404  404    404   404   ok   ok
document_version_new GET,POST 404   404    404   404  404    404  403  404    404  404    404   404   ok   403
document_remove      GET,POST 404   404    404   404  404    404  403  404    404  404    404   404   ok   403
"""


def _parse(table: str) -> dict[str, tuple[list[str], dict[str, str]]]:
    rows = [line.split() for line in table.strip().splitlines()]
    assert rows[0][2:] == USERS
    return {row[0]: (row[1].split(","), dict(zip(USERS, row[2:], strict=True))) for row in rows[1:]}


MATRIX = _parse(TABLE)


def url_of(name: str, document: Document) -> str:
    kwargs = {"registry_number": document.person.registry_number}
    if name != "document_new":
        kwargs["pk"] = document.pk
    return reverse(f"documents:{name}", kwargs=kwargs)


def test_the_matrix_covers_every_page_of_documents():
    assert {p.name for p in document_urls.urlpatterns} == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_document_page_admits_exactly_the_people_the_table_names(
    name, everyone, documents, login
):
    record = documents["medical_record"]
    methods, expected = MATRIX[name]
    secrets = ["medical_record of Kim", "medical_record bytes"]
    check_matrix_row(name, url_of(name, record), methods, expected, everyone, login, secrets,
                     users=USERS)  # fmt: skip


def _upload(client, kim, content: bytes, *, kind="medical_record", name="scan.pdf"):
    return client.post(
        reverse("documents:document_new", args=[kim.registry_number]),
        {"kind": kind, "title": "Jaw X-ray", "file": SimpleUploadedFile(name, content)},
    )


def test_a_doctor_uploads_a_pdf_and_the_readers_download_the_same_bytes(kim, everyone, login):
    data = pdf_with(MARKER)
    response = _upload(login(everyone.detaining_doctor), kim, data)
    assert response.status_code == 302
    document = Document.objects.get(person=kim)
    url = url_of("document_content", document)
    for reader in (everyone.detaining_doctor, everyone.neutral_doctor, everyone.interviewer):
        got = login(reader).get(url)
        assert got.status_code == 200 and got.content == data
        assert got["Content-Disposition"].startswith("attachment;")
        assert got["Cache-Control"] == "no-store" and got["X-Content-Type-Options"] == "nosniff"
        assert "Jaw" not in got["Content-Disposition"]  # the title names nothing in a download
    for other in (everyone.registrar, everyone.legal_officer, everyone.outsider):
        assert login(other).get(url).status_code == 404
    reads = AuditEvent.objects.filter(action="read.documentversion", person=kim)
    assert reads.count() == 3


def test_the_person_page_lists_only_the_documents_the_reader_may_open(kim, documents, everyone,
                                                                       login):  # fmt: skip
    page = reverse("registry:person_detail", args=[kim.registry_number])
    html = login(everyone.registrar).get(page).content.decode()
    assert "identity_document of Kim" in html and "capture_card of Kim" in html
    assert "medical_record of Kim" not in html and "interview_record of Kim" not in html
    html = login(everyone.detaining_doctor).get(page).content.decode()
    assert "medical_record of Kim" in html and "identity_document of Kim" not in html


def test_an_executable_renamed_pdf_is_refused_on_the_form(kim, everyone, login):
    response = _upload(login(everyone.detaining_doctor), kim, elf(), name="scan.pdf")
    assert response.status_code == 200
    assert "This file is a program" in response.content.decode()
    assert not Document.objects.exists()


def test_a_file_over_the_limit_is_refused_with_the_limit_named_not_a_traceback(
    kim, everyone, login, settings
):
    settings.UPLOAD_MAX_MB = 20
    big = b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024)
    response = _upload(login(everyone.detaining_doctor), kim, big)
    assert response.status_code == 200
    assert "larger than 20 MB" in response.content.decode()
    assert not Document.objects.exists()


def test_the_preview_is_framed_from_a_same_origin_no_store_inline_response(
    kim, documents, everyone, login
):
    record = documents["medical_record"]
    client = login(everyone.detaining_doctor)
    html = client.get(url_of("document_detail", record)).content.decode()
    assert "<iframe" in html and "disposition=inline" in html
    inline = client.get(url_of("document_content", record) + "?disposition=inline&version=1")
    assert inline["Content-Disposition"].startswith("inline;")
    assert "frame-ancestors 'self'" in inline["Content-Security-Policy"]
    assert inline["X-Frame-Options"] == "SAMEORIGIN"


def test_a_photo_is_stored_without_its_gps_position(kim, everyone, login):
    client = login(everyone.registrar)
    assert _upload(client, kim, jpeg_with_gps(), kind="photo", name="p.jpg").status_code == 302
    photo = Document.objects.get(person=kim)
    got = client.get(url_of("document_content", photo)).content
    assert not Image.open(io.BytesIO(got)).getexif().get_ifd(0x8825)


def test_a_new_version_keeps_the_old_and_a_removal_records_why(kim, documents, everyone, login):
    record = documents["medical_record"]
    client = login(everyone.detaining_doctor)
    new = pdf_with("second scan")
    response = client.post(
        url_of("document_version_new", record),
        {"file": SimpleUploadedFile("b.pdf", new), "version": record.version},
    )
    assert response.status_code == 302
    assert client.get(url_of("document_content", record)).content == new
    assert (
        b"medical_record bytes"
        in client.get(url_of("document_content", record) + "?version=1").content
    )
    record.refresh_from_db()
    response = client.post(
        url_of("document_remove", record), {"reason": "Wrong man", "version": record.version}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.state == DocumentState.REMOVED and record.removed_reason == "Wrong man"
    assert client.get(url_of("document_content", record)).status_code == 404
    assert AuditEvent.objects.filter(action="document.remove", object_id=str(record.pk)).exists()


def test_a_stale_version_is_a_conflict_not_an_overwrite(kim, documents, everyone, login):
    record = documents["medical_record"]
    response = login(everyone.detaining_doctor).post(
        url_of("document_remove", record), {"reason": "x", "version": record.version + 5}
    )
    assert response.status_code == 409
    record.refresh_from_db()
    assert record.state == DocumentState.CURRENT
