"""`safepassage export`: the same documents, policy and audit from the console; names only with
the role and the user's password again."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safepassage.accounts.models import LoginThrottle
from safepassage.audit.models import AuditEvent
from safepassage.exports.models import Export
from safepassage.exports.pseudonyms import pseudonym_of
from tests.exports.conftest import pdf_text
from tests.factories import PASSWORD


def export(*args, password=None):
    stderr = io.StringIO()
    options = {"stderr": stderr}
    if password is not None:
        options["stdin"] = io.StringIO(password + "\n")
    call_command("export", *args, **options)
    return stderr.getvalue()


def test_it_writes_a_pseudonymised_capture_card(people, kim, tmp_path):
    out = tmp_path / "card.pdf"
    report = export("capture-card", kim.registry_number, "--as", "alice", "--out", str(out))
    assert "pseudonymised" in report
    text = pdf_text(out.read_bytes())
    assert pseudonym_of(kim.registry_number) in text and "김" not in text
    assert out.stat().st_mode & 0o777 == 0o600
    event = AuditEvent.objects.get(action="export.capture_card")
    assert event.changes["via"] == [None, "console"]


def test_an_identified_export_asks_for_the_password(people, kim, tmp_path):
    out = tmp_path / "summary.pdf"
    export("case-summary", kim.registry_number, "--as", "alice", "--identified",
           "--password-stdin", "--out", str(out), password=PASSWORD)  # fmt: skip
    assert "김" in pdf_text(out.read_bytes())
    assert AuditEvent.objects.get(action="export.case_summary").changes["identified"] == [
        None, True,
    ]  # fmt: skip


def test_a_wrong_password_exports_nothing_and_counts_towards_the_lockout(people, kim, tmp_path):
    out = tmp_path / "card.pdf"
    with pytest.raises(CommandError, match="Wrong password") as caught:
        export("capture-card", kim.registry_number, "--as", "alice", "--identified",
               "--password-stdin", "--out", str(out), password="guess")  # fmt: skip
    assert caught.value.returncode == 2
    assert not out.exists() and not Export.objects.exists()
    assert LoginThrottle.objects.get(kind="username").failures == 1


def test_an_identified_export_without_the_role_is_refused_before_the_password(people, kim):
    with pytest.raises(CommandError, match="may not export names") as caught:
        export("capture-card", kim.registry_number, "--as", "vera", "--identified",
               "--password-stdin", password=PASSWORD)  # fmt: skip
    assert caught.value.returncode == 2


def test_a_person_of_another_detaining_power_is_not_found(people, kim, tmp_path):
    with pytest.raises(CommandError, match="No person") as caught:
        export("capture-card", kim.registry_number, "--as", "oscar", "--out", str(tmp_path / "x"))
    assert caught.value.returncode == 2
    assert not Export.objects.exists()


def test_a_role_without_exports_is_refused(people, kim, tmp_path):
    with pytest.raises(CommandError) as caught:
        export("notifications", "--as", "petro", "--out", str(tmp_path / "n.csv"))
    assert caught.value.returncode == 2
    assert not (tmp_path / "n.csv").exists()


def test_it_writes_the_notification_list_in_each_format(people, kim, ivan, tmp_path):
    csv_file = tmp_path / "n.csv"
    export("notifications", "--as", "alice", "--event", "identity", "--out", str(csv_file))
    text = csv_file.read_bytes().decode("utf-8-sig")
    assert pseudonym_of(ivan.registry_number) in text and "Ковальов" not in text
    xlsx = tmp_path / "n.xlsx"
    export("notifications", "--as", "alice", "--format", "xlsx", "--identified",
           "--password-stdin", "--second-language", "ru", "--out", str(xlsx),
           password=PASSWORD)  # fmt: skip
    assert xlsx.read_bytes().startswith(b"PK")
    assert Export.objects.filter(document="notifications").count() == 2


def test_a_failed_list_leaves_no_file_behind(people, kim, ivan, tmp_path, settings):
    settings.EXPORT_PDF_MAX_ROWS = 1
    out = tmp_path / "n.pdf"
    with pytest.raises(CommandError, match="too many for a PDF"):
        export("notifications", "--as", "alice", "--format", "pdf", "--out", str(out))
    assert list(tmp_path.iterdir()) == []


def test_cards_and_summaries_are_pdf_only(people, kim):
    with pytest.raises(CommandError, match="PDF only"):
        export("capture-card", kim.registry_number, "--as", "alice", "--format", "csv")


def test_an_unknown_user_is_refused(db):
    with pytest.raises(CommandError, match="No active user"):
        export("notifications", "--as", "nobody")
