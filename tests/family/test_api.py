"""His capture card choice through the API."""

import pytest

pytestmark = pytest.mark.django_db


def _url(kim) -> str:
    return f"/api/v1/persons/{kim.pk}/capture-card-choice/"


def test_the_verifier_reads_none_then_records_his_choice(people, kim, api):
    client = api(people.interviewer)
    assert client.get(_url(kim)).json()["id"] is None
    saved = client.put(
        _url(kim), {"card_to_family": True, "address_on_card": False, "expected_choice": 0},
        format="json",
    )  # fmt: skip
    assert saved.status_code == 200, saved.content
    assert saved.json()["card_to_family"] and not saved.json()["address_on_card"]


def test_an_address_without_a_card_is_a_problem_naming_the_field(people, kim, api):
    refused = api(people.interviewer).put(
        _url(kim), {"card_to_family": False, "address_on_card": True}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "address_on_card"
