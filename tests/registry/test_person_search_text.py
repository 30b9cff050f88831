"""Finding a person by any written form of his name: scripts, accents, case, hyphens, order."""

import pytest
from django.db.models import Q

from safepassage.lib.text import search_tokens
from safepassage.registry.models import Person
from safepassage.registry.services import NameInput, person_register, person_update


def find(query: str) -> set[str]:
    """How a search box matches: every folded word of the query appears in the search text."""
    tokens = search_tokens(query)
    assert tokens
    condition = Q()
    for token in tokens:
        condition &= Q(search_text__contains=token)
    return set(Person.objects.filter(condition).values_list("registry_number", flat=True))


@pytest.fixture
def kim(people):
    return person_register(
        actor=people.registrar,
        names=[
            NameInput(family_name="김", given_name="철수"),
            NameInput(family_name="Kim", given_name="Chol-su"),
            NameInput(family_name="Ким", given_name="Чхоль Су"),
        ],
        service_number="KPA-77/1203",
        unit="11th Army Corps",
    ).registry_number


@pytest.fixture
def kovalev(people):
    return person_register(
        actor=people.registrar,
        names=[NameInput(family_name="Ковалёв", given_name="Дмитрий", patronymic="Сергеевич")],
    ).registry_number


@pytest.mark.parametrize(
    "query",
    ["김철수", "김 철수", "철수", "Chol-su", "Chol Su", "cholsu", "CHOL SU", "kim chol su",
     "Chol Su Kim", "cholsu kim", "kimcholsu", "Ким Чхоль Су", "чхольсу", "ким"],
)  # fmt: skip
def test_it_finds_kim_chol_su_however_his_name_is_written(kim, kovalev, query):
    assert find(query) == {kim}


@pytest.mark.parametrize(
    "query",
    ["Ковалёв", "Ковалев", "КОВАЛЕВ", "ковалёв дмитрий", "Дмитрий Ковалев",
     "Ковалев Дмитрий Сергеевич", "сергеевич"],
)  # fmt: skip
def test_it_finds_kovalev_with_or_without_the_diaeresis(kim, kovalev, query):
    assert find(query) == {kovalev}


def test_it_finds_by_registry_number_service_number_and_unit(kim, kovalev):
    assert find(kim.lower()) == {kim}
    assert find("KPA-77/1203") == {kim}
    assert find("11th army corps") == {kim}


def test_it_does_not_find_a_different_name(kim, kovalev):
    assert find("Pak") == set()
    assert find("Ковальчук") == set()
    assert find("Chol Min") == set()


def test_an_update_refreshes_the_search_text(people, kim):
    person = Person.objects.get(registry_number=kim)
    person_update(actor=people.registrar, person=person, expected_version=1, unit="Kursk group")
    assert find("kursk") == {kim}
    assert find("11th army corps") == set()
