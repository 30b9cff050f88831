"""`Idempotency-Key`: a retried creating POST replays the first answer and writes nothing new."""

import threading

import pytest
from django.db import connection, connections

from safepassage.api.models import IdempotencyRecord
from safepassage.audit.models import AuditEvent
from safepassage.cases.models import Transfer, TransferStatus
from safepassage.registry.models import Person
from tests.cases.builders import accepted
from tests.factories import tomorrow

PERSONS = "/api/v1/persons/"
BODY = {"names": [{"family_name": "Kim", "given_name": "Chol Su"}], "nationalities": ["KP"]}


def _post(client, url, body, key):
    return client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_retry_with_the_same_key_replays_the_first_answer_and_writes_nothing(people, api):
    client = api(people.registrar)
    first = _post(client, PERSONS, BODY, "key-1")
    events = AuditEvent.objects.count()
    again = _post(client, PERSONS, BODY, "key-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Person.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_the_same_key_with_another_body_is_a_422_problem(people, api):
    client = api(people.registrar)
    _post(client, PERSONS, BODY, "key-1")
    other = _post(client, PERSONS, {**BODY, "rank": "Private"}, "key-1")
    assert other.status_code == 422
    assert other.json()["type"] == "/api/v1/problems/idempotency-key-reused"
    elsewhere = _post(client, "/api/v1/transfers/", {"person": 1}, "key-1")
    assert elsewhere.status_code == 422
    assert Person.objects.count() == 1


def test_keys_belong_to_their_user(people, api):
    _post(api(people.registrar), PERSONS, BODY, "shared")
    response = _post(api(people.outsider), PERSONS, BODY, "shared")
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert Person.objects.count() == 2


def test_a_refused_request_keeps_no_record_so_the_corrected_retry_goes_through(people, api):
    client = api(people.registrar)
    refused = _post(client, PERSONS, {"names": []}, "key-1")
    assert refused.status_code == 400
    assert not IdempotencyRecord.objects.exists()
    assert _post(client, PERSONS, BODY, "key-1").status_code == 201


@pytest.mark.parametrize("key", ["", "x" * 201, "naïve", "with space"])
def test_a_malformed_key_is_a_400_problem(people, api, key):
    response = _post(api(people.registrar), PERSONS, BODY, key)
    assert response.status_code == 400
    assert response.json()["type"] == "/api/v1/problems/invalid-idempotency-key"
    assert not Person.objects.exists()


def test_scheduling_and_executing_a_transfer_are_replayed_too(people, api):
    person = accepted(people, "KR")
    client = api(people.planner)
    body = {"person": person.pk, "destination": "KR", "scheduled_for": str(tomorrow())}
    first = _post(client, "/api/v1/transfers/", body, "schedule-1")
    assert first.status_code == 201
    assert _post(client, "/api/v1/transfers/", body, "schedule-1").json() == first.json()
    execute = f"/api/v1/transfers/{first.json()['id']}/execute/"
    done = _post(client, execute, {}, "execute-1")
    assert done.status_code == 200 and done.json()["status"] == TransferStatus.EXECUTED
    replay = _post(client, execute, {}, "execute-1")
    assert replay.json() == done.json() and replay["Idempotent-Replayed"] == "true"
    without_key = client.post(execute, {}, format="json")
    assert without_key.status_code == 422  # executed already: the service refuses, once more
    assert Transfer.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
def test_concurrent_duplicates_write_once(committed, people, api):
    """Four requests with one key at the same moment: one writes, the others replay it."""
    clients = [api(people.registrar) for _ in range(4)]
    barrier = threading.Barrier(len(clients))
    results = []

    def call(client):
        try:
            barrier.wait()
            results.append(_post(client, PERSONS, BODY, "race-1"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=call, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.status_code for r in results) == [201] * len(clients)
    assert len({r.json()["id"] for r in results}) == 1
    assert sum(r.get("Idempotent-Replayed") == "true" for r in results) == len(clients) - 1
    assert Person.objects.count() == 1
