"""`/api/v1/audit-events/` narrows as the page does, labels each action, and names a bad filter."""

from rest_framework.test import APIClient

from safepassage.api.services import api_token_create
from safepassage.audit.services import audit_record
from tests.factories import register


def _api(user) -> APIClient:
    _token, raw = api_token_create(user=user, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def _events(viewer, **query) -> list[dict]:
    response = _api(viewer).get("/api/v1/audit-events/", query)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_each_event_carries_its_action_in_words(people):
    register(people.registrar)
    labels = {e["action"]: e["action_label"] for e in _events(people.auditor)}
    assert labels["person.register"] == "Person registered"


def test_the_list_narrows_to_a_person_a_user_an_action(people):
    kim = register(people.registrar)
    lee = register(people.registrar, family="Lee")
    audit_record(actor=people.admin, action="user.roles", obj=people.registrar, changes={})
    assert {e["person"] for e in _events(people.auditor, person=kim.registry_number)} == {kim.pk}
    assert lee.pk not in {e["person"] for e in _events(people.auditor, person=kim.registry_number)}
    assert {e["action"] for e in _events(people.auditor, user="adam")} == {"user.roles"}
    assert {e["actor_username"] for e in _events(people.auditor, action="person.register")} == {
        "alice"
    }


def test_a_bad_filter_is_a_problem_naming_the_parameter(people):
    theirs = register(people.outsider)
    for query, name in [
        ({"action": "person.explode"}, "action"),
        ({"person": theirs.registry_number}, "person"),
        ({"since": "2026-02-30"}, "since"),
        ({"since": "2026-03-02", "until": "2026-03-01"}, "until"),
    ]:
        response = _api(people.auditor).get("/api/v1/audit-events/", query)
        assert response.status_code == 400, query
        assert name in response.content.decode(), query
