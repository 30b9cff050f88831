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
