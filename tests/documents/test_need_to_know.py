"""Who may open and who may add each kind of document about a person he sees: the policy's
tables, read for everyone and the two doctors (docs/security-model.md#documents)."""

import pytest

from safepassage.access.documents import can_read_document, can_upload_document
from tests.documents.conftest import USERS

# Kim is held by alice's detaining power, represented by lena's NGO and decided for minjun's
# KR; bruno (BR) and oscar (another detaining power) cannot see him.
READ = """
kind              alice dmitro petro ivan audrey adam vera victor lena minjun bruno oscar dora nadia
medical_record    -     -      -     -    -      -    ok   -      -    -      -     -     ok   ok
identity_document ok    -      -     -    -      -    ok   -      -    -      -     -     -    -
capture_card      ok    -      -     ok   -      -    ok   -      -    -      -     -     -    -
photo             ok    ok     ok    ok   -      -    ok   ok     ok   ok     -     -     -    -
interview_record  -     -      -     -    -      -    ok   ok     -    -      -     -     -    -
legal_opinion     -     ok     -     ok   -      -    ok   ok     ok   -      -     -     -    -
acceptance        ok    ok     ok    -    -      -    -    -      -    ok     -     -     -    -
other             ok    ok     -     ok   -      -    -    -      -    -      -     -     ok   -
"""
UPLOAD = """
kind              alice dmitro petro ivan audrey adam vera victor lena minjun bruno oscar dora nadia
medical_record    -     -      -     -    -      -    -    -      -    -      -     -     ok   ok
identity_document ok    -      -     -    -      -    -    -      -    -      -     -     -    -
capture_card      ok    -      -     -    -      -    -    -      -    -      -     -     -    -
photo             ok    -      -     -    -      -    ok   -      -    -      -     -     -    -
interview_record  -     -      -     -    -      -    ok   -      -    -      -     -     -    -
legal_opinion     -     -      -     -    -      -    -    ok     ok   -      -     -     -    -
acceptance        -     ok     -     -    -      -    -    -      -    ok     -     -     -    -
other             ok    -      -     -    -      -    ok   -      ok   -      -     -     -    -
"""


def parse(table: str) -> dict[str, dict[str, bool]]:
    rows = [line.split() for line in table.strip().splitlines()]
    assert rows[0][1:] == USERS
    return {row[0]: dict(zip(USERS, [c == "ok" for c in row[1:]], strict=True)) for row in rows[1:]}


READERS = parse(READ)
UPLOADERS_TABLE = parse(UPLOAD)


@pytest.mark.parametrize("kind", sorted(READERS))
def test_each_kind_is_opened_by_exactly_the_people_the_table_names(kind, documents, by_name):
    wrong = [
        name
        for name, want in READERS[kind].items()
        if can_read_document(by_name[name], documents[kind]) != want
    ]
    assert not wrong, f"{kind}: {wrong}"


@pytest.mark.parametrize("kind", sorted(UPLOADERS_TABLE))
def test_each_kind_is_added_by_exactly_the_people_the_table_names(kind, kim, by_name):
    wrong = [
        name
        for name, want in UPLOADERS_TABLE[kind].items()
        if can_upload_document(by_name[name], kim, kind) != want
    ]
    assert not wrong, f"{kind}: {wrong}"


def test_whoever_may_add_a_kind_may_open_it_too():
    # "other" is its own organisation's: the table's document is alice's detaining power's.
    for kind, uploaders in UPLOADERS_TABLE.items():
        if kind == "other":
            continue
        assert all(READERS[kind][name] for name, may in uploaders.items() if may), kind


def test_an_acceptance_letter_is_for_the_state_named_in_the_decision_only(
    documents, by_name, kim, people
):
    letter = documents["acceptance"]
    assert can_read_document(by_name["minjun"], letter)
    from safepassage.cases.models import Decision

    other = Decision.objects.filter(person=kim).latest("decided_at")
    other.destination = "BR"
    other.save()
    letter.refresh_from_db()
    assert not can_read_document(by_name["minjun"], letter)


def test_an_inactive_user_opens_nothing(documents, by_name):
    vera = by_name["vera"]
    vera.is_active = False
    assert not any(can_read_document(vera, d) for d in documents.values())
