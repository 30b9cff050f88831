import pytest
from django.core.exceptions import PermissionDenied

from safepassage.audit.models import AuditEvent
from safepassage.cases.models import Case, CaseState
from safepassage.imports import writing
from safepassage.imports.models import ImportBatch, ImportedRecord
from safepassage.imports.services import import_mapping_save, persons_import
from safepassage.lib import spreadsheet
from safepassage.lib.spreadsheet import xlsx_bytes
from safepassage.registry.models import Person, PersonName
from tests.imports.corpus import BAD, HEADER, VALID_CP949, VALID_CP1251, csv_text


def _counts():
    return (
        Person.objects.count(),
        PersonName.objects.count(),
        Case.objects.count(),
        ImportBatch.objects.count(),
        ImportedRecord.objects.count(),
        AuditEvent.objects.count(),
    )


def test_a_valid_cp949_file_imports_with_hangul_names_intact(people, write):
    result = persons_import(actor=people.registrar, path=write(VALID_CP949.encode("cp949")))
    assert result.ok, result.problems
    assert (result.encoding, result.created) == ("cp949", 3)
    names = {(n.family_name, n.given_name) for n in PersonName.objects.all()}
    assert names == {("김", "철수"), ("리", "영호"), ("박", "명수")}
    kim = Person.objects.get(names__family_name="김")
    assert (str(kim.birth_date), kim.birth_place, list(kim.nationalities)) == (
        "1999-03-01", "평양", ["KP"],
    )  # fmt: skip
    assert kim.detaining_organisation == people.registrar.organisation
    assert kim.case.state == CaseState.REGISTERED
    assert "김" in kim.search_text


def test_a_valid_cp1251_semicolon_file_imports_with_cyrillic_names_intact(people, write):
    result = persons_import(actor=people.registrar, path=write(VALID_CP1251.encode("cp1251")))
    assert result.ok, result.problems
    assert (result.encoding, result.delimiter) == ("cp1251", ";")
    names = set(PersonName.objects.values_list("family_name", "given_name"))
    assert names == {
        ("Коваленко", "Олександр"),
        ("Іваненко", "Ґанна Їжакова"),
        ("Ковалёв", "Сергей"),
    }
    year_only = Person.objects.get(names__family_name="Ковалёв")
    assert (year_only.birth_date.year, year_only.birth_date_precision) == (1992, "year")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_it_reads_unicode_files_with_or_without_a_bom(people, write, encoding):
    text = csv_text("1,Пак,철수,,1999-01-01,,KP,,").replace(",", "\t")
    result = persons_import(actor=people.registrar, path=write(text.encode(encoding)))
    assert result.ok and result.created == 1
    assert PersonName.objects.get().family_name == "Пак"


def test_an_xlsx_file_imports(people, write):
    data = xlsx_bytes(
        HEADER.split(","), [[1, "Kim", "Chol Su", "", "1999-01-01", "", "KP", "", ""]]
    )
    result = persons_import(actor=people.registrar, path=write(data, ".xlsx"))
    assert result.ok and result.kind == "xlsx" and result.created == 1


def test_the_same_file_twice_creates_nothing_new(people, write):
    path = write(VALID_CP949.encode("cp949"))
    persons_import(actor=people.registrar, path=path)
    before = _counts()
    again = persons_import(actor=people.registrar, path=path)
    assert again.already_imported is not None and again.created == 0
    assert _counts() == before


def test_rows_already_imported_from_the_source_are_skipped(people, write):
    persons_import(actor=people.registrar, path=write(csv_text("1,Kim,Chol Su,,,,,,"), name="a"))
    result = persons_import(
        actor=people.registrar,
        path=write(csv_text("1,Kim,Chol Su,,,,,,", "2,Pak,Myong,,,,,,"), name="b"),
    )
    assert (result.rows_already_imported, result.created) == (1, 1)
    assert Person.objects.count() == 2


def test_a_dry_run_writes_nothing_and_previews_rows(people, write):
    before = _counts()
    result = persons_import(
        actor=people.registrar, path=write(VALID_CP949.encode("cp949")), dry_run=True
    )
    assert result.ok and result.rows_valid == 3 and result.created == 0
    assert result.preview[0]["family_name"] == "김"
    assert _counts() == before


def test_one_event_audits_the_batch_with_its_numbers(people, write):
    result = persons_import(actor=people.registrar, path=write(VALID_CP949.encode("cp949")))
    event = AuditEvent.objects.get(action="import.commit")
    first, last = event.changes["registry_numbers"][1]
    assert (first, last) == (result.batch.first_registry_number, result.batch.last_registry_number)
    assert first.startswith("UA-") and first < last
    assert event.changes["created"] == [None, 3]
    assert event.changes["fingerprint"][1] == result.fingerprint


@pytest.mark.parametrize("chunk", [writing.CHUNK, 1], ids=["chunks", "row_by_row"])
@pytest.mark.parametrize("name", sorted(BAD))
def test_every_bad_file_gets_a_row_numbered_report_and_changes_nothing(
    people, write, name, chunk, monkeypatch
):
    # Detection reads the first bytes only: a file that turns to another encoding later on
    # must still be caught, at its row. Row by row, every row is read while the rows before
    # it are being written.
    monkeypatch.setattr(spreadsheet, "SAMPLE_SIZE", 80)
    monkeypatch.setattr(writing, "CHUNK", chunk)
    data, suffix, row, words = BAD[name]
    before = _counts()
    result = persons_import(actor=people.registrar, path=write(data, suffix))
    assert not result.ok
    problem = result.problems[0]
    assert problem.row == row
    assert words in problem.problem
    assert problem.fix
    assert _counts() == before


def test_one_bad_row_among_good_ones_keeps_every_row_out(people, write):
    text = csv_text(
        "1,Kim,Chol Su,,1999-01-01,,KP,,", "2,Pak,Myong,,2025-02-30,,KP,,", "3,Ri,Yong,,,,,,"
    )
    before = _counts()
    result = persons_import(actor=people.registrar, path=write(text))
    assert [(p.row, p.field) for p in result.problems] == [(3, "birth_date")]
    assert _counts() == before


def test_every_problem_is_reported_not_only_the_first(people, write):
    text = csv_text(
        "1,Kim,Chol Su,,2025-02-30,,KP,,", "2,=1+1,Myong,,,,,,", "2,Ri,Yong,,,,Atlantis,,"
    )
    result = persons_import(actor=people.registrar, path=write(text))
    assert [p.row for p in result.problems] == [2, 3, 4]


def test_a_saved_mapping_reads_other_headings_and_month_first_dates(people, write):
    import_mapping_save(
        actor=people.registrar,
        name="camp-list",
        columns={"id": "No", "family_name": "Surname", "given_name": "Name", "birth_date": "Born"},
        date_order="mdy",
    )
    path = write("No,Surname,Name,Born\n1,Kim,Chol Su,12/31/1999\n")
    result = persons_import(actor=people.registrar, path=path, mapping="camp-list")
    assert result.ok, result.problems
    assert str(Person.objects.get().birth_date) == "1999-12-31"
    assert ImportedRecord.objects.get().source == "camp-list"


def test_it_refuses_an_unknown_mapping(people, write):
    from safepassage.lib.errors import DomainError

    with pytest.raises(DomainError, match="No saved mapping"):
        persons_import(actor=people.registrar, path=write(VALID_CP949), mapping="nope")


@pytest.mark.parametrize("who", ["interviewer", "receiving_officer", "decision_maker"])
def test_only_a_registrar_of_a_detaining_power_may_import(people, write, who):
    with pytest.raises(PermissionDenied):
        persons_import(actor=getattr(people, who), path=write(VALID_CP949))
