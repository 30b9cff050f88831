"""Retention erases a person's documents with him — titles, reasons, data keys and the stored
bytes of every version — and the bytes and title of a document removed a year ago."""

import datetime

import pytest
import time_machine
from django.conf import settings as django_settings

from safepassage.documents.models import Document, DocumentVersion
from safepassage.documents.services import document_remove, document_upload, document_version_add
from safepassage.retention.services import retention_apply, retention_plan
from tests.documents.builders import pdf_with
from tests.retention.test_retention_apply import SIX_YEARS_LATER, transferred_and_closed

TITLE = "RET-DOC-TITLE-military-id-5512"


@pytest.fixture(autouse=True)
def _periods(settings, tmp_path):
    settings.RETENTION_YEARS = {"closed_case": 5, "removed_document": 1}
    settings.STORAGES = {
        **django_settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                      "OPTIONS": {"location": tmp_path / "documents"}},
    }  # fmt: skip
    return tmp_path / "documents"


def _stored(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_his_documents_titles_and_every_version_s_bytes_are_erased_with_him(
    people, _periods, django_capture_on_commit_callbacks
):
    kim = transferred_and_closed(people)
    with time_machine.travel(SIX_YEARS_LATER - datetime.timedelta(days=400), tick=False):
        document = document_upload(actor=people.registrar, person=kim, kind="identity_document",
                                   title=TITLE, content=pdf_with("v1"))  # fmt: skip
        document_version_add(actor=people.registrar, document=document, content=pdf_with("v2"))
    assert len(_stored(_periods)) == 2
    planned = retention_plan(now=SIX_YEARS_LATER)
    assert planned[0].changes["document_files"][1] == "2 erased"
    with django_capture_on_commit_callbacks(execute=True):
        retention_apply(now=SIX_YEARS_LATER)
    document.refresh_from_db()
    assert document.title == "" and _stored(_periods) == []
    assert all(v.erased_at and v.data_key == "" for v in DocumentVersion.objects.all())
    assert retention_plan(now=SIX_YEARS_LATER) == []


def test_a_document_removed_over_a_year_ago_loses_its_bytes_and_title(
    people, _periods, django_capture_on_commit_callbacks
):
    from safepassage.registry.services import NameInput, person_register

    kim = person_register(actor=people.registrar, names=[NameInput(family_name="Kim")],
                          nationalities=["KP"])  # fmt: skip
    now = datetime.datetime(2027, 3, 1, tzinfo=datetime.UTC)
    with time_machine.travel(now - datetime.timedelta(days=400), tick=False):
        document = document_upload(actor=people.registrar, person=kim, kind="capture_card",
                                   title=TITLE, content=pdf_with())  # fmt: skip
        document_remove(actor=people.registrar, document=document, reason="Wrong man")
    kept = document_upload(actor=people.registrar, person=kim, kind="capture_card",
                           title="kept", content=pdf_with("kept"))  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        done = retention_apply(now=now, kinds=["removed_document"])
    assert [d.record.pk for d in done] == [document.pk]
    document.refresh_from_db()
    assert document.title == "" and document.removed_reason == ""
    assert document.removed_at is not None  # the removal's record stays
    assert len(_stored(_periods)) == 1
    assert Document.objects.get(pk=kept.pk).title == "kept"
