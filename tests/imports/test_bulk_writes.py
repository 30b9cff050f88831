"""The bulk path writes what the registry's own functions would: search text, names, cases."""

import pytest
from django.db import connection, transaction

from safepassage.cases.models import CaseState
from safepassage.imports import bulk, writing
from safepassage.imports.bulk import Inserter, QueryDuringCopy
from safepassage.imports.services import persons_import
from safepassage.lib.ids import ids_reserve
from safepassage.registry.models import NameKey, Person
from safepassage.registry.selectors import person_list
from safepassage.registry.services import name_key_rows, person_search_text
from tests.imports.corpus import VALID_CP949, csv_text


def test_the_search_text_is_the_one_the_registry_computes(people, write):
    text = csv_text(
        "1,Kim,Chol Su,,1999-01-01,Pyongyang,KP,unit 7,12-345",
        "2,Коваленко,Олександр,,1990,Київ,UA,,",
        "3,Kim,Chol Su,,1999-01-01,Hamhung,KP,unit 8,12-346",  # the same name again
        "4,O'Brien-Müller,José Ñoño,,,Saint-Étienne,,2nd Bn.(Ryazan),A/7-Ω",
        "5,Ковальов,Сергій,Ковальов Сергій Олексійович,,Кривий Ріг,UA,в/ч 12345,",
        "6,,,김 철수,,,KP,,",
    )
    persons_import(actor=people.registrar, path=write(text, name="a"))
    persons_import(actor=people.registrar, path=write(VALID_CP949.encode("cp949"), name="b"))
    persons = Person.objects.prefetch_related("names")
    assert persons.count() == 9
    for person in persons:
        assert person.search_text == person_search_text(person, list(person.names.all()))


def test_the_name_index_is_the_one_the_registry_writes(people, write):
    text = csv_text(
        "1,Kim,Chol Su,,1999-01-01,Pyongyang,KP,unit 7,12-345",
        "2,Коваленко,Олександр,,1990,Київ,UA,,",
        "3,강,은혁,,1999-01,,KP,,",
        "6,,,김 철수,,,KP,,",
    )
    persons_import(actor=people.registrar, path=write(text, name="a"))
    persons = Person.objects.prefetch_related("names")
    assert persons.count() == 4
    for person in persons:
        written = sorted(NameKey.objects.filter(person=person).values_list(*KEY_COLUMNS))
        assert written == sorted(name_key_rows(person, list(person.names.all())))
        assert written
    found = person_list(actor=people.registrar, query="Gang Eun-hyeok")
    assert [p.names.get().family_name for p in found] == ["강"]


def test_each_imported_person_has_one_name_a_registered_case_and_fresh_ids(people, write):
    persons_import(actor=people.registrar, path=write(VALID_CP949.encode("cp949"), name="a"))
    persons_import(actor=people.registrar, path=write(csv_text("9,Pak,Myong,,,,,,"), name="b"))
    for person in Person.objects.all():
        assert [n.position for n in person.names.all()] == [0]
        assert person.case.state == CaseState.REGISTERED
        assert person.version == 1 and person.created_at is not None
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    assert len(set(ids)) == 4


def test_each_row_gets_the_registrys_verdict_on_its_dates(people, write):
    import datetime

    from django.utils import timezone

    from safepassage.lib.errors import DomainError
    from safepassage.registry.services import person_fields_validate

    soon = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    text = csv_text(
        "1,Kim,Chol Su,1999-01-01,2024-05-01",
        f"2,Pak,Myong,{soon},",  # born in the future
        "3,Ri,Yong,1999-01-01,1998-05-01",  # captured before he was born
        "4,O,Il,1999-01-01,2024-05-01",  # the first row's dates again: accepted again
        "5,Jo,Kum,1999-01-01,1998-05-01",  # the third row's again: refused again
        header="id,family_name,given_name,birth_date,capture_date",
    )
    result = persons_import(actor=people.registrar, path=write(text), dry_run=True)
    refused = {p.row: p.problem for p in result.problems}
    expected = {}
    for row, (born, captured) in enumerate(
        [("1999-01-01", "2024-05-01"), (soon, ""), ("1999-01-01", "1998-05-01"),
         ("1999-01-01", "2024-05-01"), ("1999-01-01", "1998-05-01")],
        start=2,
    ):  # fmt: skip
        values = {"birth_date": datetime.date.fromisoformat(born)}
        if captured:
            values["capture_date"] = datetime.date.fromisoformat(captured)
        try:
            person_fields_validate(values)
        except DomainError as error:
            expected[row] = str(error)
    assert refused == expected and set(refused) == {3, 4, 6}


KEY_COLUMNS = ("person_id", "name_id", "kind", "system", "key")


def _rows(count: int) -> str:
    return csv_text(*(f"s{i},Kim,Chol Su {i},,1999-01-01,,KP,,{i}" for i in range(count)))


def _planner_rows(table: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_a_large_import_leaves_the_planner_knowing_how_many_records_the_source_has(
    people, write, monkeypatch
):
    monkeypatch.setattr(writing, "STATISTICS_AFTER", 25)
    persons_import(actor=people.registrar, path=write(_rows(30)))
    assert _planner_rows("imports_importedrecord") == 30


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_a_small_import_leaves_the_statistics_to_autovacuum(people, write, monkeypatch):
    monkeypatch.setattr(writing, "STATISTICS_AFTER", 25)
    before = _planner_rows("imports_importedrecord")
    persons_import(actor=people.registrar, path=write(_rows(24)))
    assert _planner_rows("imports_importedrecord") == before


def test_an_import_on_sqlite_leaves_no_statistics_to_go_stale(people, write, monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's statistics table")
    monkeypatch.setattr(writing, "STATISTICS_AFTER", 1)
    persons_import(actor=people.registrar, path=write(_rows(3)))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchone()[0] == 0


def _person_rows(people, count: int):
    """An inserter of bare persons, and `count` rows for it with fresh ids."""
    inserter = Inserter(
        Person,
        Person(registry_number="", detaining_organisation=people.registrar.organisation),
        ("id", "registry_number"),
    )
    ids = ids_reserve(Person, count)
    return inserter, ids, [(pk, f"T-{pk}") for pk in ids]


def test_rows_inserted_while_the_caller_works_are_there_when_the_block_ends(people):
    inserter, ids, rows = _person_rows(people, 3)
    with inserter.inserting(iter(rows)):
        pass
    written = Person.objects.filter(pk__in=ids).values_list("pk", "registry_number")
    assert sorted(written) == rows


def test_an_error_while_rows_are_inserted_keeps_them_out_and_is_raised_as_itself(people):
    inserter, ids, rows = _person_rows(people, 2)
    with pytest.raises(LookupError), transaction.atomic(), inserter.inserting(iter(rows)):
        raise LookupError("the caller's own error")
    assert not Person.objects.filter(pk__in=ids).exists()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's COPY")
def test_a_query_while_rows_are_copied_is_refused_instead_of_waiting_forever(people):
    inserter, ids, rows = _person_rows(people, 2)
    with pytest.raises(QueryDuringCopy), transaction.atomic(), inserter.inserting(iter(rows)):
        Person.objects.count()
    assert not Person.objects.filter(pk__in=ids).exists()  # the connection answers again


def _setting(name: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT current_setting(%s)", [name])
        else:
            cursor.execute(f"PRAGMA {name}")  # a name of this test's own
        return str(cursor.fetchone()[0])


def _settings_during_import(people, write, names) -> tuple[list[tuple], tuple]:
    during = []
    persons_import(
        actor=people.registrar, path=write(_rows(5)),
        progress=lambda *_: during.append(tuple(_setting(n) for n in names)),
    )  # fmt: skip
    assert Person.objects.count() == 5
    return during, tuple(_setting(n) for n in names)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's settings")
def test_an_import_on_postgresql_gathers_search_entries_in_larger_batches_then_restores(
    people, write
):
    names = ("gin_pending_list_limit", "work_mem")
    before = tuple(_setting(n) for n in names)
    during, after = _settings_during_import(people, write, names)
    assert set(during) == {("16MB", "32MB")}
    assert after == before != ("16MB", "32MB")


def test_an_import_on_sqlite_raises_the_page_cache_then_restores_it(people, write):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's page cache")
    before = _setting("cache_size")
    during, after = _settings_during_import(people, write, ("cache_size",))
    assert set(during) == {(str(-bulk.SQLITE_IMPORT_CACHE_KIB),)}
    assert after == (before,)


def test_an_imported_place_of_internment_is_found_or_created_once_and_searchable(people, write):
    from safepassage.registry.models import Place
    from safepassage.registry.services import place_for

    known = place_for(actor=people.registrar, organisation=people.registrar.organisation,
                      name="Camp West-3")  # fmt: skip
    text = csv_text(
        "1,Kim,Chol Su,Camp  West-3",
        "2,Pak,Myong,Holding site Sumy",
        "3,Ri,Yong,Holding site Sumy",
        "4,O,Il,",
        header="id,family_name,given_name,internment_place",
    )
    persons_import(actor=people.registrar, path=write(text, name="a"))
    persons = {p.names.get().family_name: p for p in Person.objects.prefetch_related("names")}
    assert persons["Kim"].place == known and persons["Kim"].internment_place == "Camp West-3"
    assert persons["Pak"].place == persons["Ri"].place != known
    assert persons["O"].place is None
    assert Place.objects.count() == 2
    for person in persons.values():
        assert person.search_text == person_search_text(person, list(person.names.all()))
