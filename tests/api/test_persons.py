"""Persons: register, read, search, filter, order and page; need-to-know on every field."""

from safepassage.audit.models import AuditEvent
from safepassage.registry.models import Person
from tests.api.conftest import BASIS_MARKER, NEXT_OF_KIN_MARKER, STATEMENT_MARKER
from tests.factories import register

PERSONS = "/api/v1/persons/"


def test_a_registrar_registers_a_person_with_names_in_two_scripts(people, api):
    response = api(people.registrar).post(
        PERSONS,
        {
            "names": [
                {"family_name": "김", "given_name": "철수"},
                {"family_name": "Kim", "given_name": "Chol Su", "script": "Latn"},
            ],
            "birth_date": "1999-04-01",
            "nationalities": ["kp"],
            "next_of_kin": "His mother",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["registry_number"].startswith("UA-")
    assert [(n["family_name"], n["script"]) for n in body["names"]] == [
        ("김", "Hang"),
        ("Kim", "Latn"),
    ]
    assert body["nationalities"] == ["KP"] and body["birth_date"] == "1999-04-01"
    assert body["status"] == "registered" and body["next_of_kin"] == "His mother"
    assert response["ETag"] == '"1"'
    assert AuditEvent.objects.filter(action="person.register", object_id=str(body["id"])).exists()


def test_the_list_searches_filters_and_orders(people, kim, api):
    register(people.registrar, family="Kovalev", given="Ivan", nationalities=("RU",))
    client = api(people.registrar)

    def numbers(query: str) -> list[str]:
        response = client.get(PERSONS + query)
        assert response.status_code == 200, response.content
        return [p["registry_number"] for p in response.json()["results"]]

    everyone = numbers("")
    assert len(everyone) == 2
    assert numbers("?q=김철수") == [kim.registry_number]
    assert numbers("?q=kovalëv") == [everyone[1]]
    assert numbers("?nationality=kp") == [kim.registry_number]
    assert numbers("?place=west") == [kim.registry_number]
    assert numbers("?status=registered") == everyone
    assert numbers("?status=closed") == []
    assert numbers(f"?registry_number={kim.registry_number}") == [kim.registry_number]
    assert numbers("?ordering=-registry_number") == everyone[::-1]


def test_the_cursor_pages_through_every_person_once(people, api):
    created = {register(people.registrar, family=f"Lee{i}").registry_number for i in range(5)}
    client = api(people.registrar)
    seen, url = [], PERSONS + "?page_size=2"
    while url:
        page = client.get(url).json()
        seen += [p["registry_number"] for p in page["results"]]
        url = page["next"]
    assert seen == sorted(created)


def test_listing_persons_takes_a_bounded_number_of_queries(
    people, api, django_assert_max_num_queries
):
    for i in range(10):
        register(people.registrar, family=f"Park{i}")
    client = api(people.registrar)
    client.get(PERSONS)  # warm the token's last use
    with django_assert_max_num_queries(8):
        assert len(client.get(PERSONS).json()["results"]) == 10


def test_next_of_kin_is_null_without_need_to_know(people, kim, api):
    for user, sees in [(people.registrar, True), (people.decision_maker, False),
                       (people.receiving_officer, False), (people.interviewer, True)]:  # fmt: skip
        if user is people.receiving_officer:
            continue  # he does not see Kim before a will names KR
        detail = api(user).get(f"{PERSONS}{kim.pk}/").json()
        listed = api(user).get(PERSONS).json()["results"][0]
        expected = NEXT_OF_KIN_MARKER if sees else None
        assert detail["next_of_kin"] == listed["next_of_kin"] == expected, user


def test_will_expressions_are_masked_to_need_to_know(people, kim, scheduled, api):
    url = f"{PERSONS}{kim.pk}/will-expressions/"
    by_user = {u: api(getattr(people, u)).get(url).json()[0] for u in
               ("interviewer", "decision_maker", "registrar", "receiving_officer")}  # fmt: skip
    vera, dmitro, alice, minjun = by_user.values()
    assert vera["statement"] == STATEMENT_MARKER and vera["setting"] == "private"
    assert dmitro["destinations_preferred"] == ["KR"] and dmitro["destinations_refused"] == ["KP"]
    assert dmitro["statement"] is None and dmitro["setting"] is None
    for reader in (alice, minjun):
        assert reader["wish"] is reader["destinations_preferred"] is reader["statement"] is None
        assert reader["outcome"] == "refuses_repatriation" and reader["verified"] is True
        assert reader["governing"] is True


def test_assessment_basis_is_masked_to_need_to_know(people, kim, scheduled, api):
    url = f"{PERSONS}{kim.pk}/assessments/"
    assert api(people.decision_maker).get(url).json()[0]["basis"] == BASIS_MARKER
    hidden = api(people.registrar).get(url).json()[0]
    assert hidden["basis"] is None and hidden["persecution_risk"] == "low"


def test_a_person_the_caller_cannot_see_is_404_everywhere(people, kim, api):
    client = api(people.outsider)
    for suffix in ("", "names/", "will-expressions/", "assessments/", "transitions/"):
        assert client.get(f"{PERSONS}{kim.pk}/{suffix}").status_code == 404
    assert Person.objects.filter(pk=kim.pk).exists()
