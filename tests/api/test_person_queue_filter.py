"""The home page's work queues as a filter of the persons list: `?queue=to_decide` lists the
persons whose case waits for the caller's next step; an unknown queue is a 400 naming the
parameter and every queue; a queue none of his roles works on is a 403."""

from safepassage.work.selectors import CASE_QUEUES
from tests.cases.builders import decided, in_legal_assessment
from tests.factories import register

PERSONS = "/api/v1/persons/"


def _numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [person["registry_number"] for person in response.json()["results"]]


def test_the_queue_filter_lists_the_cases_that_wait_for_the_caller(people, api):
    waiting = in_legal_assessment(people)
    register(people.registrar)
    decided(people, "KR")
    assert _numbers(api(people.decision_maker).get(PERSONS, {"queue": "to_decide"})) == [
        waiting.registry_number
    ]
    # Another detaining power's decision maker works on the queue, but not on this man.
    assert _numbers(api(people.outsider).get(PERSONS, {"queue": "to_decide"})) == []


def test_the_receiving_state_filters_its_transfers_to_accept(people, api):
    to_korea = decided(people, "KR")
    decided(people, "BR")
    numbers = _numbers(api(people.receiving_officer).get(PERSONS, {"queue": "to_accept"}))
    assert numbers == [to_korea.registry_number]


def test_an_unknown_queue_is_a_problem_naming_the_parameter_and_the_queues(people, api):
    response = api(people.decision_maker).get(PERSONS, {"queue": "to_ponder"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert error["field"] == "queue"
    assert "to_ponder" in error["detail"]
    assert all(name in error["detail"] for name in CASE_QUEUES)


def test_a_queue_of_another_role_is_forbidden(people, api):
    in_legal_assessment(people)
    response = api(people.registrar).get(PERSONS, {"queue": "to_decide"})
    assert response.status_code == 403
    assert "to_decide" in response.json()["detail"]


def test_the_schema_documents_the_queue_and_its_values(api):
    schema = api(None).get("/api/v1/schema/", {"format": "json"}).json()
    parameters = schema["paths"]["/api/v1/persons/"]["get"]["parameters"]
    [queue] = [p for p in parameters if p["name"] == "queue"]
    assert set(queue["schema"]["enum"]) >= set(CASE_QUEUES)
    assert "to_decide" in queue["description"]
