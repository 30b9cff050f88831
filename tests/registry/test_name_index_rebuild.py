"""`safepassage names index` writes the name index of every person anew, with a progress bar,
and the migration fills it for the persons registered before it existed."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from safepassage.registry.models import NameKey, PersonName
from safepassage.registry.selectors import person_list
from safepassage.registry.services import (
    NameInput,
    name_index_rebuild,
    name_key_rows,
    person_name_add,
)
from tests.factories import register

pytestmark = pytest.mark.django_db


def _index():
    return sorted(NameKey.objects.values_list("person_id", "name_id", "kind", "system", "key"))


def test_it_writes_the_same_rows_the_services_write(people):
    for family, given in (("강", "은혁"), ("Ковальов", "Олексій"), ("Kim", "Chol Su")):
        register(people.registrar, family=family, given=given)
    written = _index()
    NameKey.objects.all().delete()
    assert not person_list(actor=people.registrar, query="Gang Eun-hyeok").exists()
    report = name_index_rebuild(batch_size=2)
    assert (report.persons, report.names, report.keys) == (3, 3, len(written))
    assert _index() == written
    assert person_list(actor=people.registrar, query="Gang Eun-hyeok").exists()


def test_two_worker_processes_write_the_same_rows_the_services_write(people):
    names = (("강", "은혁"), ("Ковальов", "Олексій"), ("Kim", "Chol Su"), ("리", "경철"))
    for family, given in names:
        register(people.registrar, family=family, given=given)
    man = register(people.registrar, family="Ли", given="Гён Чхоль", nationalities=())
    person_name_add(
        actor=people.registrar, person=man,
        name=NameInput(family_name="Петренко", given_name="Іван", patronymic="Петрович"),
    )  # fmt: skip
    written = _index()
    NameKey.objects.all().delete()
    report = name_index_rebuild(batch_size=2, workers=2)
    assert (report.persons, report.names, report.keys) == (5, 6, len(written))
    assert _index() == written


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bulk fill is PostgreSQL's")
def test_an_empty_index_is_filled_in_bulk_with_its_look_up_index_and_keys_built_after(people):
    from safepassage.registry import services

    for family, given in (("강", "은혁"), ("Ковальов", "Олексій"), ("Kim", "Chol Su")):
        register(people.registrar, family=family, given=given)
    written = _index()
    NameKey.objects.all().delete()
    dropped = []
    original = services._lookup_drop

    def drop():
        original()
        dropped.append(services._lookup_missing())

    services._lookup_drop = drop
    try:
        name_index_rebuild(batch_size=2)
    finally:
        services._lookup_drop = original
    indexes, keys = dropped[0]
    assert [i.name for i in indexes] == ["registry_namekey_lookup"] and len(keys) == 2
    assert services._lookup_missing() == ([], [])
    assert _index() == written


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bulk fill is PostgreSQL's")
def test_a_bulk_fill_that_was_stopped_has_its_look_up_index_and_keys_rebuilt_by_the_next(people):
    from safepassage.registry import services

    register(people.registrar, family="백", given="진성")
    services._lookup_drop()
    assert services._lookup_missing() != ([], [])
    name_index_rebuild()
    assert services._lookup_missing() == ([], [])
    assert person_list(actor=people.registrar, query="Baek Jin-seong").exists()


def test_a_stale_or_foreign_row_is_replaced(people):
    man = register(people.registrar, family="강", given="은혁")
    name = PersonName.objects.get(person=man)
    NameKey.objects.create(person=man, name=name, kind="spelling", system="x", key="l:stale")
    name_index_rebuild()
    assert not NameKey.objects.filter(key="l:stale").exists()
    assert _index() == sorted(name_key_rows(man, [name]))


def test_the_command_shows_its_progress_and_what_it_did(people):
    for _ in range(3):
        register(people.registrar)
    out, err = io.StringIO(), io.StringIO()
    call_command("names", "index", "--batch-size", "2", stdout=out, stderr=err)
    bars = err.getvalue().splitlines()
    assert bars[0].startswith("[####################..........]  66.7%  2 / 3")
    assert bars[-1].startswith("[##############################] 100.0%  3 / 3")
    assert out.getvalue().startswith("Indexed 3 persons (3 names, ")


def test_the_migration_fills_the_index_of_persons_registered_before_it(people):
    from django.apps import apps as live_apps
    from django.db import connection

    from safepassage.registry.migrations import __name__ as package

    migration = __import__(f"{package}.0008_name_index", fromlist=["_backfill"])
    man = register(people.registrar, family="백", given="진성")
    NameKey.objects.all().delete()

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration._backfill(live_apps, editor)
    assert sorted(NameKey.objects.values_list("person_id", flat=True).distinct()) == [man.pk]
    assert person_list(actor=people.registrar, query="Baek Jin-seong").get() == man


def test_the_key_change_migration_writes_the_index_anew(people):
    """0009: rows written with the former Korean given-name keys are replaced, so that
    Kontsevich's "Хемин" finds the 혜민 registered before the change."""
    from django.apps import apps as live_apps
    from django.db import connection

    from safepassage.registry.migrations import __name__ as package

    migration = __import__(f"{package}.0009_name_keys_rebuilt", fromlist=["_rebuild"])
    man = register(people.registrar, family="김", given="혜민")
    name = PersonName.objects.get(person=man)
    NameKey.objects.create(person=man, name=name, kind="given", system="", key="k:hyemin")

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration._rebuild(live_apps, editor)
    assert not NameKey.objects.filter(key="k:hyemin").exists()
    assert _index() == sorted(name_key_rows(man, [name]))
    assert person_list(actor=people.registrar, query="Ким Хемин").get() == man
