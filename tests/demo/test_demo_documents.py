"""The story's first soldier has his fictional papers: a capture card, a photograph and the camp
doctor's note, each opened by its readers and by no one else."""

from safepassage.access.documents import can_read_document
from safepassage.accounts.models import User
from safepassage.documents.models import Document
from safepassage.documents.selectors import document_content
from tests.demo.test_demo_seed import demo, story  # noqa: F401 - fixtures


def test_the_first_soldier_has_three_documents_that_open(story):  # noqa: F811 - the fixture
    wounded, _undecided = story
    documents = {d.kind: d for d in Document.objects.filter(person=wounded)}
    assert set(documents) == {"capture_card", "photo", "medical_record"}
    doctor = User.objects.get(username="ua-doctor")
    note = document_content(actor=doctor, document=documents["medical_record"]).data
    assert note.startswith(b"%PDF")
    registrar = User.objects.get(username="ua-registrar")
    assert can_read_document(registrar, documents["capture_card"])
    assert not can_read_document(registrar, documents["medical_record"])
