"""`keys rotate` re-wraps every document's data key under the new field key without touching
the stored files, and every file still opens afterwards."""

import pytest
from django.core.management import call_command

from safepassage.crypto.keys import keyring
from safepassage.crypto.services import keys_rotate
from safepassage.documents.models import DocumentVersion
from safepassage.documents.selectors import document_content

# One reader of each kind (tests/documents/test_need_to_know.py).
READER = {"medical_record": "nadia", "acceptance": "alice", "other": "alice", "photo": "vera",
          "identity_document": "vera", "capture_card": "vera", "interview_record": "vera",
          "legal_opinion": "vera"}  # fmt: skip


@pytest.fixture
def key_file(settings, tmp_path):
    """Keys in a file of the test's own (rotation writes the key file)."""
    from tests.conftest import TEST_FIELD_KEYS

    path = tmp_path / "field-keys"
    path.write_text(TEST_FIELD_KEYS + "\n", encoding="ascii")
    settings.FIELD_KEYS = ""
    settings.FIELD_KEYS_FILE = path
    return path


def test_rotation_rewraps_every_data_key_and_the_files_still_open(
    key_file, documents, by_name, documents_dir
):
    before = {v.pk: (v.key_id, v.data_key) for v in DocumentVersion.objects.all()}
    files = {p: p.read_bytes() for p in documents_dir.rglob("*") if p.is_file()}
    old_key = keyring().current_id
    opened = {kind: document_content(actor=by_name[READER[kind]], document=d).data
              for kind, d in documents.items()}  # fmt: skip
    new_key, counts = keys_rotate()
    assert new_key != old_key
    assert counts["documents_documentversion.data_key"] == len(before)
    for version in DocumentVersion.objects.all():
        assert version.key_id == new_key
        assert version.data_key == before[version.pk][1]  # the same data key, re-wrapped
    assert {p: p.read_bytes() for p in documents_dir.rglob("*") if p.is_file()} == files
    call_command("keys", "drop", old_key)  # no value, data keys included, needs the old key
    for kind, data in opened.items():
        assert document_content(actor=by_name[READER[kind]], document=documents[kind]).data == data
