"""The case summary lists the person's documents the reader may open: kinds and titles when
identified, kinds and months when pseudonymised; never a document he may not open."""

import pytest
from django.conf import settings as django_settings

from safepassage.documents.services import document_upload
from tests.documents.builders import pdf_with
from tests.exports.test_case_summary import summary

CARD = "DOCTITLE-capture-card-Kursk-2291"
MEDICAL = "DOCTITLE-jaw-x-ray-7710"


@pytest.fixture
def papers(people, medics, kim, settings, tmp_path):
    settings.STORAGES = {
        **django_settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                      "OPTIONS": {"location": tmp_path / "documents"}},
    }  # fmt: skip
    document_upload(actor=people.registrar, person=kim, kind="capture_card", title=CARD,
                    content=pdf_with())  # fmt: skip
    document_upload(actor=medics.detaining_doctor, person=kim, kind="medical_record",
                    title=MEDICAL, content=pdf_with())  # fmt: skip


def test_the_identified_summary_lists_the_titles_the_registrar_may_open(people, kim, papers):
    text = summary(people.registrar, kim, identified=True)
    assert "Documents" in text and CARD in text and "Capture card" in text
    assert MEDICAL not in text and "Medical record" not in text


def test_the_pseudonymised_summary_lists_kinds_without_titles(people, kim, papers):
    text = summary(people.registrar, kim)
    assert "Capture card" in text and CARD not in text and MEDICAL not in text
