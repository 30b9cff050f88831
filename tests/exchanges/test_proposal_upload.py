"""The proposal upload page: one size limit for every upload, and the file is read from memory,
never copied to the temporary folder."""

import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safepassage.exchanges import services
from safepassage.exchanges.models import Candidate
from tests.exchanges.builders import agreement
from tests.exchanges.test_pages import client_of

MARKER = "PROPOSAL-CONTENT-MARKER-5521"


@pytest.fixture
def deal(people):
    return agreement(people)


def _proposal(rows: int, padding: int) -> bytes:
    """A valid proposal of `rows` persons, each row padded with a note of `padding` bytes (an
    unknown column is ignored), so the file can be large and still quick to import."""
    lines = ["id,name,category,note"]
    lines += [f"P-{n},{MARKER} {n},conscript,{'x' * padding}" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def _upload(client, deal, data: bytes):
    url = reverse("exchanges:proposal_import", args=[deal.pk])
    return client.post(url, {"file": SimpleUploadedFile("proposal.csv", data)})


def _files_holding(directory: Path, marker: bytes) -> list[str]:
    return [
        str(path) for path in directory.rglob("*") if path.is_file() and marker in path.read_bytes()
    ]


def test_a_proposal_larger_than_the_upload_limit_is_refused_naming_the_limit(
    people, deal, settings
):
    settings.UPLOAD_MAX_MB = 1
    response = _upload(client_of(people.planner), deal, _proposal(12, 100_000))  # 1.2 MB
    assert response.status_code == 200
    assert "The file is larger than 1 MB. Split the list and upload the parts." in (
        response.content.decode()
    )
    assert not Candidate.objects.filter(agreement=deal).exists()


def test_a_proposal_within_the_limit_is_imported(people, deal, settings):
    settings.UPLOAD_MAX_MB = 1
    response = _upload(client_of(people.planner), deal, _proposal(3, 100))
    assert response.status_code == 302
    assert Candidate.objects.filter(agreement=deal).count() == 3


def test_an_uploaded_proposal_leaves_nothing_of_its_content_in_the_temporary_folder(
    people, deal, settings, tmp_path, monkeypatch
):
    """3 MB: above the 2.5 MB that Django's own handlers keep in memory before writing a file."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    settings.FILE_UPLOAD_TEMP_DIR = str(temporary)
    during = []
    real = services.proposal_import

    def watched(**kwargs):
        during.extend(_files_holding(temporary, MARKER.encode()))
        return real(**kwargs)

    monkeypatch.setattr(services, "proposal_import", watched)
    response = _upload(client_of(people.planner), deal, _proposal(30, 100_000))
    assert response.status_code == 302
    assert Candidate.objects.filter(agreement=deal).count() == 30
    assert during == [] and _files_holding(temporary, MARKER.encode()) == []
