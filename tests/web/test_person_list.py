"""The registry list: any spelling finds him, filters narrow, and the query count stays flat."""

import pytest
from django.urls import reverse

from safepassage.cases.models import CaseState
from safepassage.registry.services import NameInput, person_register
from tests.factories import register, step


@pytest.fixture
def kovalev(people):
    return person_register(
        actor=people.registrar,
        names=[
            NameInput(family_name="Ковалёв", given_name="Сергей"),
            NameInput(family_name="Kovalëv", given_name="Sergei"),
        ],
        nationalities=["RU"],
        internment_place="Hospital No. 5",
    )


def _found(client, **params) -> list[str]:
    response = client.get(reverse("registry:person_list"), params)
    assert response.status_code == 200
    return [p.registry_number for p in response.context["page"].object_list]


@pytest.mark.parametrize(
    "query",
    ["김철수", "김 철수", "KIM", "kim chol-su", "Chol Su Kim", "cholsu"],
)
def test_it_finds_kim_by_hangul_and_by_any_latin_spelling(query, people, kim, kovalev, login):
    assert _found(login(people.registrar), q=query) == [kim.registry_number]


@pytest.mark.parametrize("query", ["kovalev", "KOVALËV", "Ковалев", "ковалёв сергей", "sergei"])
def test_it_finds_kovalev_with_or_without_accents(query, people, kim, kovalev, login):
    assert _found(login(people.registrar), q=query) == [kovalev.registry_number]


def test_it_finds_him_by_registry_number(people, kim, kovalev, login):
    assert _found(login(people.registrar), q=kim.registry_number.lower()) == [kim.registry_number]


def test_every_word_of_the_query_must_match(people, kim, kovalev, login):
    assert _found(login(people.registrar), q="kim sergei") == []
    assert b"No one matches" in login(people.registrar).get("/persons/?q=kim+sergei").content


def test_it_filters_by_case_state_nationality_and_place(people, kim, kovalev, login):
    step(people.registrar, kim, CaseState.NOTIFIED)
    client = login(people.registrar)
    assert _found(client, status="notified") == [kim.registry_number]
    assert _found(client, status="registered") == [kovalev.registry_number]
    assert _found(client, nationality="ru") == [kovalev.registry_number]
    assert _found(client, nationality="KP") == [kim.registry_number]
    assert _found(client, internment_place="hospital") == [kovalev.registry_number]
    assert _found(client, nationality="KP", status="registered") == []


def test_it_reports_an_unknown_nationality_code(people, kim, login):
    response = login(people.registrar).get(reverse("registry:person_list"), {"nationality": "XX"})
    assert "Unknown country code(s): XX" in response.content.decode()


def test_it_lists_only_persons_the_user_may_see(people, kim, login):
    assert _found(login(people.outsider)) == []
    assert _found(login(people.receiving_officer)) == []
    assert _found(login(people.interviewer)) == [kim.registry_number]


def test_it_shows_names_nationalities_health_and_state(people, login):
    register(people.registrar, health_status="seriously_wounded_or_sick", nationalities=["KP"])
    html = login(people.registrar).get(reverse("registry:person_list")).content.decode()
    assert "Kim Chol Su" in html
    assert "(KP)" in html
    assert "Seriously wounded or sick" in html
    assert "badge--registered" in html


def test_the_list_takes_a_bounded_number_of_queries(
    people, login, django_assert_max_num_queries, django_assert_num_queries
):
    client = login(people.registrar)
    for number in range(3):
        register(people.registrar, family=f"Pak{number}")
    # 11: the header's notification count; 12 with the name index's look-up and the term
    # frequencies the ranking weighs (registry.search).
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("registry:person_list"), {"q": "pak"})
    for number in range(3, 30):
        register(people.registrar, family=f"Pak{number}", given="Yong Ho")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("registry:person_list"), {"q": "pak"})
    assert response.context["page"].paginator.count == 30


def test_it_pages_by_fifty(people, login):
    for number in range(51):
        register(people.registrar, family=f"Ri{number}")
    client = login(people.registrar)
    assert len(_found(client)) == 50
    assert len(_found(client, page=2)) == 1
    assert b"Page 1 of 2" in client.get(reverse("registry:person_list")).content


def test_hangul_words_written_apart_find_the_name_they_spell_together(people, kim, login):
    """ "김 철수" is Kim Chol Su, not any 김 whose given name holds 철수."""
    other = register(people.registrar, family="김", given="영철수")
    client = login(people.registrar)
    assert _found(client, q="김 철수") == [kim.registry_number]
    assert _found(client, q="철수 김") == [kim.registry_number]
    assert _found(client, q="김 영철수") == [other.registry_number]
