"""The documents API: upload (multipart) answers 201 with the id, the list shows only what the
caller may open, the content is the same bytes for each reader and 404 for everyone else, and
every refusal is a problem."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safepassage.documents.models import Document
from tests.documents.builders import elf, pdf_with, pdf_with_javascript
from tests.documents.conftest import USERS
from tests.documents.test_need_to_know import READERS, UPLOADERS_TABLE

PROBLEM = "application/problem+json"


def _list_url(kim) -> str:
    return reverse("api:person-documents", kwargs={"person_id": kim.pk})


def _content_url(document) -> str:
    return reverse(
        "api:person-document-content",
        kwargs={"person_id": document.person_id, "document_id": document.pk},
    )


def _post(client, kim, content: bytes, kind="medical_record", title="Jaw X-ray"):
    return client.post(
        _list_url(kim),
        {"file": SimpleUploadedFile("scan.pdf", content), "kind": kind, "title": title},
        format="multipart",
    )


def test_a_doctor_uploads_and_gets_201_with_the_id(kim, everyone, api):
    response = _post(api(everyone.detaining_doctor), kim, pdf_with())
    assert response.status_code == 201, response.content
    body = response.json()
    document = Document.objects.get(pk=body["id"])
    assert body["kind"] == "medical_record" and body["title"] == "Jaw X-ray"
    assert body["content"] == _content_url(document)
    assert body["versions"][0]["content_type"] == "application/pdf"


# Content of each kind, for everyone and the doctors: ok (the same bytes) or 404.
@pytest.mark.parametrize("kind", sorted(READERS))
def test_each_kind_s_content_is_given_to_exactly_its_readers(kind, documents, by_name, api):
    from safepassage.documents.selectors import document_content

    document = documents[kind]
    stored = document_content(actor=by_name["alice"] if READERS[kind]["alice"] else
                              next(by_name[n] for n, ok in READERS[kind].items() if ok),
                              document=document).data  # fmt: skip
    wrong = []
    for name in USERS:
        response = api(by_name[name]).get(_content_url(document))
        if READERS[kind][name]:
            good = response.status_code == 200 and response.content == stored
        else:
            good = response.status_code == 404 and response["Content-Type"] == PROBLEM
        if not good:
            wrong.append(f"{name}: {response.status_code}")
    assert not wrong, f"{kind}: {wrong}"


@pytest.mark.parametrize("name", USERS)
def test_the_list_shows_each_reader_exactly_the_kinds_he_may_open(name, kim, documents, by_name,
                                                                  api):  # fmt: skip
    response = api(by_name[name]).get(_list_url(kim))
    if name in ("bruno", "oscar"):
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert {d["kind"] for d in response.json()} == {k for k, r in READERS.items() if r[name]}


@pytest.mark.parametrize("name", USERS)
def test_upload_is_refused_403_to_those_who_may_add_no_kind_and_404_to_the_unseeing(
    name, kim, by_name, api
):
    response = api(by_name[name]).post(_list_url(kim), {}, format="multipart")
    may = any(table[name] for table in UPLOADERS_TABLE.values())
    expected = 404 if name in ("bruno", "oscar") else 400 if may else 403
    assert response.status_code == expected, response.content
    assert response["Content-Type"] == PROBLEM


def test_a_kind_he_may_not_add_is_403(kim, everyone, api):
    response = _post(api(everyone.registrar), kim, pdf_with(), kind="medical_record")
    assert response.status_code == 403 and response["Content-Type"] == PROBLEM


def test_an_executable_named_pdf_is_a_validation_problem_naming_the_file(kim, everyone, api):
    response = _post(api(everyone.detaining_doctor), kim, elf())
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["field"] == "file" and "program" in body["detail"]
    assert not Document.objects.exists()


def test_a_pdf_with_javascript_is_refused_as_a_problem(kim, everyone, api):
    response = _post(api(everyone.detaining_doctor), kim, pdf_with_javascript())
    assert response.status_code == 400 and "JavaScript" in response.json()["detail"]


def test_a_50_mb_file_over_a_20_mb_limit_is_a_413_problem(kim, everyone, api, settings):
    settings.UPLOAD_MAX_MB = 20
    big = b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024)
    response = _post(api(everyone.detaining_doctor), kim, big)
    assert response.status_code == 413
    assert response["Content-Type"] == PROBLEM
    assert "20 MB" in response.json()["detail"]
    assert not Document.objects.exists()


def test_a_missing_title_is_a_validation_problem_naming_it(kim, everyone, api):
    response = _post(api(everyone.detaining_doctor), kim, pdf_with(), title="")
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"title"}
