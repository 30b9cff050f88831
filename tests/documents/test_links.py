"""A document may stand beside one of his records: a commission's examination among them."""

import pytest

from safepassage.documents.services import document_upload
from safepassage.lib.errors import DomainError
from tests.documents.builders import pdf_with
from tests.factories import register
from tests.medical.builders import commission, examined


def test_a_medical_record_is_kept_beside_the_examination_it_reports(people, medics, kim):
    examination = examined(medics, commission(people, medics), kim)

    document = document_upload(
        actor=medics.detaining_doctor, person=kim, kind="medical_record",
        title="Jaw wound, surgeon's report", content=pdf_with(), examination=examination,
    )  # fmt: skip

    document.refresh_from_db()
    assert document.examination == examination


def test_an_examination_of_another_man_is_refused_naming_the_field(people, medics, kim):
    other = register(people.registrar, family="Ri", given="Hyon Gi")
    examination = examined(medics, commission(people, medics), other)

    with pytest.raises(DomainError) as refused:
        document_upload(
            actor=medics.detaining_doctor, person=kim, kind="medical_record",
            title="Report", content=pdf_with(), examination=examination,
        )  # fmt: skip

    assert refused.value.field == "examination"
    assert not kim.documents.exists()


def test_the_api_links_a_document_to_his_examination_by_id(people, medics, kim, api):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    examination = examined(medics, commission(people, medics), kim)
    url = reverse("api:person-documents", kwargs={"person_id": kim.pk})
    upload = {"file": SimpleUploadedFile("report.pdf", pdf_with()), "kind": "medical_record",
              "title": "Surgeon's report", "examination": examination.pk}  # fmt: skip

    response = api(medics.detaining_doctor).post(url, upload, format="multipart")

    assert response.status_code == 201, response.content
    assert response.json()["examination"] == examination.pk


def test_the_api_refuses_an_examination_of_another_man_naming_the_field(people, medics, kim,
                                                                           api):  # fmt: skip
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    other = register(people.registrar, family="Ri", given="Hyon Gi")
    theirs = examined(medics, commission(people, medics), other)
    url = reverse("api:person-documents", kwargs={"person_id": kim.pk})
    upload = {"file": SimpleUploadedFile("report.pdf", pdf_with()), "kind": "medical_record",
              "title": "Report", "examination": theirs.pk}  # fmt: skip

    response = api(medics.detaining_doctor).post(url, upload, format="multipart")

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["examination"]
    assert not kim.documents.exists()
