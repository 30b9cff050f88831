"""The bulk path writes what the registry's own functions would: search text, names, cases."""

from safepassage.cases.models import CaseState
from safepassage.imports.services import persons_import
from safepassage.registry.models import Person
from safepassage.registry.services import person_search_text
from tests.imports.corpus import VALID_CP949, csv_text


def test_the_search_text_is_the_one_the_registry_computes(people, write):
    text = csv_text(
        "1,Kim,Chol Su,,1999-01-01,Pyongyang,KP,unit 7,12-345",
        "2,Коваленко,Олександр,,1990,Київ,UA,,",
        "3,Kim,Chol Su,,1999-01-01,Hamhung,KP,unit 8,12-346",  # the same name again
    )
    persons_import(actor=people.registrar, path=write(text, name="a"))
    persons_import(actor=people.registrar, path=write(VALID_CP949.encode("cp949"), name="b"))
    persons = Person.objects.prefetch_related("names")
    assert persons.count() == 6
    for person in persons:
        assert person.search_text == person_search_text(person, list(person.names.all()))


def test_each_imported_person_has_one_name_a_registered_case_and_fresh_ids(people, write):
    persons_import(actor=people.registrar, path=write(VALID_CP949.encode("cp949"), name="a"))
    persons_import(actor=people.registrar, path=write(csv_text("9,Pak,Myong,,,,,,"), name="b"))
    for person in Person.objects.all():
        assert [n.position for n in person.names.all()] == [0]
        assert person.case.state == CaseState.REGISTERED
        assert person.version == 1 and person.created_at is not None
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    assert len(set(ids)) == 4
