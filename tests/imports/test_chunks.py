"""Imports larger than a chunk: each chunk is written while the next one is read."""

import pytest

from safepassage.imports import writing
from safepassage.imports.models import ImportedRecord
from safepassage.imports.services import persons_import
from safepassage.registry.models import Person
from tests.imports.corpus import csv_text


@pytest.fixture(autouse=True)
def _small_chunks(monkeypatch):
    monkeypatch.setattr(writing, "CHUNK", 3)


def _rows(ids) -> str:
    return csv_text(*(f"r{i},Kim,Chol Su {i},,1999-01-01,,KP,,{i}" for i in ids))


def test_every_row_of_every_chunk_arrives_numbered_in_file_order(people, write):
    seen = []
    result = persons_import(
        actor=people.registrar, path=write(_rows(range(10))),
        progress=lambda rows, done, total: seen.append(rows),
    )  # fmt: skip
    assert result.ok and result.created == 10
    in_number_order = [
        r.external_id
        for r in ImportedRecord.objects.select_related("person").order_by("person__registry_number")
    ]
    assert in_number_order == [f"r{i}" for i in range(10)]
    numbers = sorted(Person.objects.values_list("registry_number", flat=True))
    batch = result.batch
    assert (batch.first_registry_number, batch.last_registry_number) == (numbers[0], numbers[-1])
    assert seen == sorted(seen) and seen[-1] == 10 and len(seen) >= 4


def test_a_bad_row_in_a_later_chunk_keeps_the_chunks_before_it_out(people, write):
    text = _rows(range(8)).replace("r7,Kim,Chol Su 7,,1999-01-01", "r7,Kim,Chol Su 7,,1999-02-30")
    result = persons_import(actor=people.registrar, path=write(text))
    assert [(p.row, p.field) for p in result.problems] == [(9, "birth_date")]
    assert result.created == 0 and result.batch is None
    assert Person.objects.count() == 0 and ImportedRecord.objects.count() == 0


def test_rows_already_imported_are_skipped_in_every_chunk(people, write):
    persons_import(actor=people.registrar, path=write(_rows([0, 2, 4, 6, 8]), name="first"))
    result = persons_import(actor=people.registrar, path=write(_rows(range(10)), name="second"))
    assert (result.created, result.rows_already_imported) == (5, 5)
    assert sorted(ImportedRecord.objects.values_list("external_id", flat=True)) == sorted(
        f"r{i}" for i in range(10)
    )
