"""The bad-input corpus through the console command and through the web upload: every file gets
a report naming its row, and the registry is left as it was; the valid CP949 and CP1251 lists
come in with their names intact."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from safepassage.audit.models import AuditEvent
from safepassage.cases.models import Case
from safepassage.imports.models import ImportBatch, ImportedRecord, ImportJob, JobStatus
from safepassage.lib import spreadsheet
from safepassage.registry.models import Person, PersonName
from tests.imports.corpus import BAD, VALID_CP949, VALID_CP1251


def _registry():
    return (
        Person.objects.count(),
        PersonName.objects.count(),
        Case.objects.count(),
        ImportBatch.objects.count(),
        ImportedRecord.objects.count(),
        AuditEvent.objects.filter(action="import.commit").count(),
    )


@pytest.fixture
def small_sample(monkeypatch):
    # Detection reads the first bytes only: a file that turns to another encoding later on
    # must still be caught, at its row.
    monkeypatch.setattr(spreadsheet, "SAMPLE_SIZE", 80)


def _cli(*args: str) -> tuple[int, str]:
    from io import StringIO

    out = StringIO()
    try:
        call_command("import", "persons", *args, "--as", "alice", "--quiet", stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


@pytest.mark.parametrize("name", sorted(BAD))
def test_the_console_reports_every_bad_file_by_row_and_changes_nothing(
    people, write, name, small_sample
):
    data, suffix, row, words = BAD[name]
    before = _registry()
    code, output = _cli(str(write(data, suffix)))
    assert code == 1  # invalid: nothing imported
    assert words in output and "nothing was imported" in output
    if row is not None:
        assert any(line.strip().startswith(str(row)) for line in output.splitlines()), output
    assert _registry() == before


@pytest.mark.parametrize("name", sorted(BAD))
def test_the_web_upload_reports_every_bad_file_by_row_and_changes_nothing(
    people, client_of, name, small_sample
):
    data, suffix, row, words = BAD[name]
    alice = client_of(people.registrar)
    before = _registry()
    response = alice.post(
        reverse("imports:upload"),
        {"file": SimpleUploadedFile(f"bad{suffix}", data), "mapping": "default"},
    )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == JobStatus.INVALID and not job.may_commit
    assert job.problems[0]["row"] == row and words in job.problems[0]["problem"]
    assert job.problems[0]["fix"]
    page = alice.get(response.url).content.decode()
    assert "nothing will be imported" in page and "What to do" in page
    assert alice.post(reverse("imports:job_commit", args=[job.pk])).status_code == 302
    assert _registry() == before


def test_the_console_imports_hangul_and_cyrillic_lists_with_names_intact(people, write):
    assert _cli(str(write(VALID_CP949.encode("cp949"), name="kp")))[0] == 0
    assert _cli(str(write(VALID_CP1251.encode("cp1251"), name="ua")))[0] == 0
    names = set(PersonName.objects.values_list("family_name", "given_name"))
    assert {("김", "철수"), ("리", "영호"), ("박", "명수")} <= names
    assert {("Коваленко", "Олександр"), ("Іваненко", "Ґанна Їжакова")} <= names


def test_a_wrong_encoding_named_on_the_console_is_reported_at_its_row(people, write):
    path = write(VALID_CP949.encode("cp949"))
    code, output = _cli(str(path), "--encoding", "utf-8")
    assert code == 1 and "not valid utf-8" in output
    assert Person.objects.count() == 0
    assert _cli(str(path), "--encoding", "cp949")[0] == 0  # named rightly, it imports


def test_the_console_exits_two_when_the_policy_refuses(people, write):
    from io import StringIO

    with pytest.raises(CommandError) as refused:
        call_command(
            "import", "persons", str(write(VALID_CP949)), "--as", "vera", stdout=StringIO()
        )
    assert refused.value.returncode == 2 and Person.objects.count() == 0


def test_a_console_dry_run_lists_likely_duplicates(people, write):
    import datetime

    from safepassage.registry.services import NameInput, person_register

    kim = person_register(
        actor=people.registrar,
        names=[NameInput(family_name="김", given_name="철수")],
        birth_date=datetime.date(1999, 3, 1),
        nationalities=["KP"],
    )
    code, output = _cli(str(write(VALID_CP949.encode("cp949"))), "--dry-run")
    assert code == 0 and "Likely duplicates" in output and kim.registry_number in output
    assert Person.objects.count() == 1
