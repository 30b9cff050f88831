"""The web upload: upload, check in a background job, preview and report, import; only for
registrars of a detaining power, only within their organisation."""

import base64
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from safepassage.audit.models import AuditEvent
from safepassage.imports.models import ImportJob, ImportUploadPart, JobStatus
from safepassage.registry.models import Person, PersonName
from safepassage.registry.services import NameInput, person_register
from tests.imports.corpus import VALID_CP949, VALID_CP1251, csv_text


def _upload(client, data: bytes, name: str = "list.csv", **extra):
    return client.post(
        reverse("imports:upload"),
        {"file": SimpleUploadedFile(name, data), "mapping": "default", "encoding": "", **extra},
    )


def _job_page(client, job) -> str:
    return client.get(reverse("imports:job_detail", args=[job.pk])).content.decode()


def test_a_registrar_uploads_checks_previews_and_imports_a_hangul_list(people, client_of):
    alice = client_of(people.registrar)
    response = _upload(alice, VALID_CP949.encode("cp949"))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "imports:job_detail", args=[job.pk]
    )
    assert job.status == JobStatus.VALID and job.summary["rows_valid"] == 3
    assert Person.objects.count() == 0  # checked only
    page = _job_page(alice, job)
    assert "김" in page and "철수" in page and "Import 3 persons" in page and "cp949" in page

    response = alice.post(reverse("imports:job_commit", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.COMMITTED and job.batch.created_count == 3
    assert set(PersonName.objects.values_list("family_name", flat=True)) == {"김", "리", "박"}
    assert not ImportUploadPart.objects.exists()  # the file is gone once imported
    assert "registry numbers" in _job_page(alice, job)
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("import.upload") == 1 and actions.count("import.commit") == 1


def test_a_cyrillic_cp1251_list_imports_with_names_intact(people, client_of):
    alice = client_of(people.registrar)
    _upload(alice, VALID_CP1251.encode("cp1251"))
    job = ImportJob.objects.get()
    alice.post(reverse("imports:job_commit", args=[job.pk]))
    names = set(PersonName.objects.values_list("family_name", "given_name"))
    assert ("Іваненко", "Ґанна Їжакова") in names and len(names) == 3


def test_the_upload_waits_sealed_and_the_task_table_holds_only_the_job_id(
    people, client_of, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    data = VALID_CP949.encode("cp949")
    _upload(client_of(people.registrar), data)
    job = ImportJob.objects.get()
    assert job.status == JobStatus.QUEUED  # waits for a worker
    task = DBTaskResult.objects.get()
    assert task.args_kwargs == {"args": [], "kwargs": {"job_id": job.pk}}
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM imports_importuploadpart")
        stored = " ".join(row[0] for row in cursor.fetchall())
    assert stored and base64.b64encode(data).decode() not in stored and "김" not in stored
    # What the part opens to is the file itself.
    assert base64.b64decode(ImportUploadPart.objects.get().data) == data


def test_a_bad_file_gets_its_report_on_the_page_and_writes_nothing(people, client_of):
    alice = client_of(people.registrar)
    text = csv_text("1,Kim,Chol Su,,2025-02-30,,KP,,", "2,=1+1,Myong,,,,,,")
    _upload(alice, text.encode())
    job = ImportJob.objects.get()
    assert job.status == JobStatus.INVALID
    assert [(p["row"], p["field"]) for p in job.problems] == [(2, "birth_date"), (3, "family_name")]
    page = _job_page(alice, job)
    assert "2 problems: nothing will be imported" in page
    assert "not a date" in page and "formula" in page and "What to do" in page
    assert "Import " not in page.split("Report")[0]  # no import button
    assert Person.objects.count() == 0
    response = alice.post(reverse("imports:job_commit", args=[job.pk]))
    assert response.status_code == 302 and Person.objects.count() == 0


def test_likely_duplicates_are_flagged_through_the_tracing_engine(people, client_of):
    kim = person_register(
        actor=people.registrar,
        names=[NameInput(family_name="Kim", given_name="Chol Su")],
        birth_date=datetime.date(1999, 3, 1),
        nationalities=["KP"],
        unit="Unit 7",
    )
    alice = client_of(people.registrar)
    _upload(
        alice, csv_text("a1,Kim,Chol Su,,1999-03-01,,KP,Unit 7,", "a2,Pak,Myong,,,,,,").encode()
    )
    job = ImportJob.objects.get()
    assert job.status == JobStatus.VALID
    flagged = job.summary["duplicates"]
    assert [(d["row"], d["match"]) for d in flagged] == [(2, kim.registry_number)]
    assert "Likely duplicates" in _job_page(alice, job)


def test_a_too_large_file_is_refused_before_anything_is_kept(people, client_of, settings):
    settings.UPLOAD_MAX_MB = 1
    rows = [f"{n},Kim,Chol,,,,,," for n in range(80_000)]  # 1.3 MB
    response = _upload(client_of(people.registrar), csv_text(*rows).encode())
    assert response.status_code == 200 and "larger than" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_columns_mapped_on_the_page_make_the_same_upload_pass(people, client_of):
    alice = client_of(people.registrar)
    _upload(alice, b"No,Surname,Name,Born\n1,Kim,Chol Su,12/31/1999\n")
    job = ImportJob.objects.get()
    assert job.status == JobStatus.INVALID and job.problems[0]["field"] == "header"
    mapping_url = reverse("imports:job_mapping", args=[job.pk])
    assert "Surname" in alice.get(mapping_url).content.decode()
    response = alice.post(
        mapping_url,
        {"name": "camp-list", "date_order": "mdy", "column_id": "No",
         "column_family_name": "Surname", "column_given_name": "Name", "column_birth_date": "Born"},
    )  # fmt: skip
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.source) == (JobStatus.VALID, "camp-list")
    alice.post(reverse("imports:job_commit", args=[job.pk]))
    assert str(Person.objects.get().birth_date) == "1999-12-31"


def test_a_discarded_upload_is_forgotten(people, client_of):
    alice = client_of(people.registrar)
    _upload(alice, VALID_CP949.encode("cp949"))
    job = ImportJob.objects.get()
    alice.post(reverse("imports:job_discard", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.DISCARDED and not job.parts.exists()
    assert alice.post(reverse("imports:job_commit", args=[job.pk])).status_code == 302
    assert Person.objects.count() == 0


# --- progress and failures --------------------------------------------------------------------


def test_a_running_job_shows_its_progress_and_polls_for_more(people, client_of):
    alice = client_of(people.registrar)
    _upload(alice, VALID_CP949.encode("cp949"))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.COMMITTING, rows_done=1200, bytes_done=250, bytes_total=1000
    )
    page = _job_page(alice, job)
    progress_url = reverse("imports:job_progress", args=[job.pk])
    assert f'hx-get="{progress_url}"' in page and 'value="25"' in page and "1200 rows" in page
    assert "<script" not in page.split("</head>")[1]  # nothing inline (CSP)
    partial = alice.get(progress_url)
    assert partial.status_code == 200 and "HX-Refresh" not in partial
    assert "<progress" in partial.content.decode()
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.COMMITTED)
    assert alice.get(progress_url)["HX-Refresh"] == "true"


def test_a_job_that_fails_says_why_and_writes_nothing(people, client_of, monkeypatch):
    from safepassage.imports import services

    alice = client_of(people.registrar)
    _upload(alice, VALID_CP949.encode("cp949"))
    job = ImportJob.objects.get()

    def broken(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "persons_import", broken)
    alice.post(reverse("imports:job_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    page = _job_page(alice, job)
    assert "The job failed; nothing was written" in page and f"Job number: {job.pk}" in page
    assert "disk on fire" not in page  # an unexpected error's words may quote data
    assert Person.objects.count() == 0 and job.parts.exists()  # kept for a retry


def test_an_upload_no_longer_kept_fails_with_a_clear_message(people, client_of):
    alice = client_of(people.registrar)
    _upload(alice, VALID_CP949.encode("cp949"))
    job = ImportJob.objects.get()
    ImportUploadPart.objects.all().delete()
    alice.post(reverse("imports:job_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "Upload it again" in job.error
    assert "Upload it again" in _job_page(alice, job)


# --- who may --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["interviewer", "receiving_officer", "decision_maker", "planner", "legal_officer"]
)
def test_other_roles_may_not_open_the_upload_pages(people, client_of, who):
    client = client_of(getattr(people, who))
    for name in ("imports:job_list", "imports:upload", "imports:mapping_new"):
        assert client.get(reverse(name)).status_code == 403
    response = _upload(client, VALID_CP949.encode("cp949"))
    assert response.status_code == 403 and not ImportJob.objects.exists()
    assert (
        reverse("imports:job_list")
        not in client.get(reverse("registry:person_list")).content.decode()
    )


def test_the_menu_shows_imports_to_registrars(people, client_of):
    page = client_of(people.registrar).get(reverse("registry:person_list")).content.decode()
    assert reverse("imports:job_list") in page


def test_another_organisation_sees_nothing_of_an_upload(people, client_of):
    alice = client_of(people.registrar)
    _upload(alice, VALID_CP949.encode("cp949"))
    job = ImportJob.objects.get()
    oscar = client_of(people.outsider)  # a registrar too, of another detaining power
    for name in ("job_detail", "job_progress", "job_mapping"):
        assert oscar.get(reverse(f"imports:{name}", args=[job.pk])).status_code == 404
    for name in ("job_commit", "job_discard"):
        assert oscar.post(reverse(f"imports:{name}", args=[job.pk])).status_code == 404
    listing = oscar.get(reverse("imports:job_list")).content.decode()
    assert "list.csv" not in listing and f"#{job.pk}" not in listing
    job.refresh_from_db()
    assert job.status == JobStatus.VALID and Person.objects.count() == 0


def test_a_colleague_sees_an_upload_but_only_its_uploader_imports_it(people, client_of):
    from tests.factories import make_user

    _upload(client_of(people.registrar), VALID_CP949.encode("cp949"))
    job = ImportJob.objects.get()
    colleague = client_of(make_user(people.registrar.organisation, "registrar", username="bob"))
    assert colleague.get(reverse("imports:job_detail", args=[job.pk])).status_code == 200
    assert colleague.post(reverse("imports:job_commit", args=[job.pk])).status_code == 403
    assert Person.objects.count() == 0


def test_anonymous_visitors_are_sent_to_log_in(client_of):
    response = client_of().get(reverse("imports:job_list"))
    assert response.status_code == 302 and "login" in response.url


def test_the_forms_refuse_a_post_without_the_csrf_token(people, client_of):
    alice = client_of(people.registrar, enforce_csrf_checks=True)
    assert _upload(alice, VALID_CP949.encode("cp949")).status_code == 403
    assert not ImportJob.objects.exists()
    token = alice.get(reverse("imports:upload")).cookies["csrftoken"].value
    response = _upload(alice, VALID_CP949.encode("cp949"), csrfmiddlewaretoken=token)
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert alice.post(reverse("imports:job_commit", args=[job.pk])).status_code == 403
    assert alice.post(reverse("imports:job_discard", args=[job.pk])).status_code == 403
    job.refresh_from_db()
    assert job.status == JobStatus.VALID


def test_an_uploaded_list_leaves_nothing_of_its_content_in_the_temporary_folder(
    people, client_of, settings, tmp_path, monkeypatch
):
    """While the request is read the pieces are sealed (ciphertext in an unnamed file); the job
    keeps them sealed in the database. Nothing readable reaches the temporary folder."""
    import tempfile

    from safepassage.imports import jobs

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    settings.FILE_UPLOAD_TEMP_DIR = str(temporary)
    marker = b"UPLOAD-CONTENT-MARKER-7314"
    during = []
    real = jobs.import_job_create

    def watched(**kwargs):
        during.extend(p for p in temporary.rglob("*") if p.is_file() and marker in p.read_bytes())
        return real(**kwargs)

    monkeypatch.setattr(jobs, "import_job_create", watched)
    rows = [f"{n},Kim,{marker.decode()},,,,,," for n in range(60_000)]  # 3 MB
    response = _upload(client_of(people.registrar), csv_text(*rows).encode())
    assert response.status_code == 302
    assert during == []
    assert not [p for p in temporary.rglob("*") if p.is_file() and marker in p.read_bytes()]
