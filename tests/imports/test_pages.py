"""Who may open and submit every import page: an explicit table, checked for every user and
anonymous, with an upload of alice's (a registrar of the detaining power) waiting to be imported."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safepassage.imports import urls as import_urls
from safepassage.imports.models import ImportJob, JobStatus
from tests.imports.corpus import VALID_CP949
from tests.web.test_permissions import _parse, check_matrix_row

# ok: GET 200 (with the form's CSRF token), POST 200 (the form again) or 302 (done).
# Only registrars of a detaining power import; an upload is seen by its organisation (404
# elsewhere: oscar is a registrar of another detaining power) and imported, discarded or
# re-mapped by its uploader alone (tests/imports/test_upload_views.py: a colleague gets 403).
TABLE = """
url           methods   alice dmitro petro ivan audrey adam vera victor lena minjun bruno oscar
job_list      GET       ok    403    403   403  403    403  403  403    403  403    403   ok
upload        GET,POST  ok    403    403   403  403    403  403  403    403  403    403   ok
mapping_new   GET,POST  ok    403    403   403  403    403  403  403    403  403    403   ok
job_detail    GET       ok    403    403   403  403    403  403  403    403  403    403   404
job_progress  GET       ok    403    403   403  403    403  403  403    403  403    403   404
job_mapping   GET,POST  ok    403    403   403  403    403  403  403    403  403    403   404
job_commit    POST      ok    403    403   403  403    403  403  403    403  403    403   404
job_discard   POST      ok    403    403   403  403    403  403  403    403  403    403   404
"""
MATRIX = _parse(TABLE)

# What the upload holds: names, birth places, service numbers, and the file's own name.
SECRETS = ["김", "철수", "영호", "박명수", "평양", "함흥", "12-345", "secret-list.csv"]


@pytest.fixture
def waiting_upload(people, login):
    """alice's upload of three Korean names, checked and waiting for her to import it."""
    response = login(people.registrar).post(
        reverse("imports:upload"),
        {
            "file": SimpleUploadedFile("secret-list.csv", VALID_CP949.encode("cp949")),
            "mapping": "default",
            "encoding": "",
        },
    )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == JobStatus.VALID
    return job


def test_the_matrix_covers_every_import_page():
    assert {p.name for p in import_urls.urlpatterns} == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_page_admits_exactly_the_people_the_table_names(name, people, waiting_upload, login):
    methods, expected = MATRIX[name]
    pattern = next(p for p in import_urls.urlpatterns if p.name == name)
    args = [waiting_upload.pk] if "pk" in pattern.pattern.converters else []
    url = reverse(f"imports:{name}", args=args)
    check_matrix_row(name, url, methods, expected, people, login, SECRETS)
