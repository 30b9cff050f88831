"""The API's person list writes its rows as plain dicts (`person_rows`): the same JSON, byte for
byte, as `PersonSerializer` gives for the same persons, every field set, for every reader."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from safepassage.registry.models import Art110Category, Person
from safepassage.registry.serializers import PersonSerializer, person_rows
from safepassage.registry.services import NameInput, person_register

FIELDS = {
    "sex": "male",
    "birth_date": datetime.date(1999, 2, 3),
    "birth_date_precision": "month",
    "birth_place": "Hamhung",
    "nationalities": ["KP", "RU"],
    "service_number": "SN-77-€",
    "rank": "Sergeant",
    "unit": '7th "Storm" Corps',
    "capture_date": datetime.date(2024, 11, 30),
    "capture_place": "Kursk oblast",
    "capturing_unit": "47th Brigade",
    "health_status": "wounded",
    "wounds": "Left arm\nshrapnel <b>",
    "internment_place": "Camp West-3",
    "internment_place_kind": "hospital",
    "languages": "ko, ru",
    "next_of_kin": "Kim Yong Hui, mother — Hamhung",
}


@pytest.fixture
def persons(people):
    register = [
        dict(FIELDS, names=[
            NameInput(family_name="김", given_name="철수", patronymic="", source="card"),
            NameInput(family_name="Kim", given_name="Chol Su", romanization="dprk",
                      source="interview", is_assumed_identity=True),
        ]),
        dict(FIELDS, sex="unknown", nationalities=[], birth_date=None, capture_date=None,
             names=[NameInput(family_name="Пак", given_name="Ин Су", patronymic="Иванович")]),
        {"names": [NameInput(family_name="Ri")]},  # every other field left as it defaults
    ]  # fmt: skip
    for fields in register:
        person_register(actor=people.registrar, **fields)
    found = list(Person.objects.select_related("case").prefetch_related("names").order_by("pk"))
    found[0].art110_category = Art110Category.DIRECT_REPATRIATION  # a finding, in memory
    return found


def _json(data) -> bytes:
    return JSONRenderer().render(data)


@pytest.mark.parametrize("see_next_of_kin", [True, False])
@pytest.mark.parametrize("reader", ["registrar", "receiving_officer", "detaining_doctor"])
def test_the_rows_are_the_serializers_byte_for_byte(
    persons, people, medics, reader, see_next_of_kin
):
    reader = getattr(people, reader, None) or getattr(medics, reader)
    context = {"reader": reader, "see_next_of_kin": see_next_of_kin}
    expected = _json(PersonSerializer(persons, many=True, context=context).data)
    assert _json(person_rows(persons, context=context)) == expected
    with timezone.override("Asia/Seoul"):
        expected = _json(PersonSerializer(persons, many=True, context=context).data)
        assert _json(person_rows(persons, context=context)) == expected


def test_the_rows_show_the_medical_finding_and_the_next_of_kin_as_set(persons, medics):
    rows = person_rows(persons, context={"reader": medics.detaining_doctor,
                                         "see_next_of_kin": True})  # fmt: skip
    assert rows[0]["art110_category"] == Art110Category.DIRECT_REPATRIATION
    assert rows[0]["next_of_kin"] == FIELDS["next_of_kin"]
    assert [n["family_name"] for n in rows[0]["names"]] == ["김", "Kim"]


def test_the_list_endpoint_answers_with_the_serializers_rows(persons, people, client):
    from safepassage.api.services import api_token_create

    _token, plain = api_token_create(user=people.registrar, name="rows", days=1)
    response = client.get(
        "/api/v1/persons/?page_size=50", headers={"authorization": f"Bearer {plain}"}
    )
    assert response.status_code == 200
    listed = response.json()["results"]
    again = Person.objects.select_related("case").prefetch_related("names").order_by("pk")
    context = {"reader": people.registrar, "see_next_of_kin": True}
    expected = PersonSerializer(list(again), many=True, context=context).data
    assert _json(listed) == _json(expected)
