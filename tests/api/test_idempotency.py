"""`Idempotency-Key`: a retried creating POST replays the first answer and writes nothing new;
a replay reads the resource again as the caller may see it now; keys expire and are pruned."""

import datetime
import hashlib
import json
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from safepassage.api.models import IdempotencyRecord
from safepassage.api.tasks import idempotency_prune
from safepassage.audit.models import AuditEvent
from safepassage.cases.models import InterviewSetting, Transfer, TransferStatus, WillSource, Wish
from safepassage.registry.models import Person
from tests.api.conftest import STATEMENT_MARKER
from tests.cases.builders import accepted
from tests.factories import handover_json, register, tomorrow

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
    done = _post(client, execute, handover_json(), "execute-1")
    assert done.status_code == 200 and done.json()["status"] == TransferStatus.EXECUTED
    replay = _post(client, execute, handover_json(), "execute-1")
    assert replay.json() == done.json() and replay["Idempotent-Replayed"] == "true"
    without_key = client.post(execute, handover_json(), format="json")
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


def _will_body() -> dict:
    return {
        "expressed_on": str(timezone.localdate()), "source": WillSource.OFFICIAL_INTERVIEW,
        "setting": InterviewSetting.PRIVATE, "wish": Wish.NAMED_STATES,
        "destinations_preferred": ["KR"], "certainty": 80, "statement": STATEMENT_MARKER,
    }  # fmt: skip


def _wills(person) -> str:
    return f"/api/v1/persons/{person.pk}/will-expressions/"


def _record_of(user, key: str, *, hours_old: float) -> IdempotencyRecord:
    record = IdempotencyRecord.objects.create(
        user=user, key=key, method="POST", path=PERSONS, fingerprint="0" * 64,
        response_status=201, resource_type="registry.person", resource_id=1,
    )  # fmt: skip
    _aged(record, hours_old)
    return record


def _aged(record: IdempotencyRecord, hours: float) -> None:
    """Make the record `hours` old (created_at is set on insert only)."""
    past = timezone.now() - datetime.timedelta(hours=hours)
    IdempotencyRecord.objects.filter(pk=record.pk).update(created_at=past)


def test_the_record_keeps_the_status_and_the_resource_never_the_answer(people, api, kim):
    first = _post(api(people.interviewer), _wills(kim), _will_body(), "w1")
    assert first.status_code == 201 and first.json()["statement"] == STATEMENT_MARKER
    record = IdempotencyRecord.objects.get()
    assert (record.response_status, record.resource_type, record.resource_id) == (
        201, "cases.willexpression", first.json()["id"],
    )  # fmt: skip
    assert not hasattr(record, "response_body")


def test_a_replayed_will_answers_the_same_status_and_resource_and_its_read_is_audited(
    people, api, kim
):
    client = api(people.interviewer)
    url = _wills(kim)
    first = _post(client, url, _will_body(), "w1")
    reads = AuditEvent.objects.filter(action="read.willexpression").count()
    again = _post(client, url, _will_body(), "w1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert AuditEvent.objects.filter(action="read.willexpression").count() == reads + 1
    assert kim.will_expressions.count() == 1


def test_a_replay_shows_no_more_than_a_fresh_read_once_the_need_to_know_shrank(
    people, api, kim, orgs
):
    """Vera recorded his statement for the verifier; moved to the detaining power, she may no
    longer read it: her retry answers what a GET answers her now, the statement withheld."""
    client = api(people.interviewer)
    url = _wills(kim)
    first = _post(client, url, _will_body(), "w1")
    assert first.json()["statement"] == STATEMENT_MARKER
    people.interviewer.organisation = orgs.detaining
    people.interviewer.save(update_fields=["organisation"])
    again = _post(client, url, _will_body(), "w1")
    fresh = client.get(f"{url}{first.json()['id']}/")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["statement"] is None and again.json()["wish"] is None
    assert again.json() == fresh.json()


def test_a_replay_by_a_caller_who_lost_sight_of_the_person_answers_404_as_a_read_would(
    people, api, orgs
):
    person = accepted(people, "KR")
    client = api(people.planner)
    body = {"person": person.pk, "destination": "KR", "scheduled_for": str(tomorrow())}
    first = _post(client, "/api/v1/transfers/", body, "schedule-1")
    assert first.status_code == 201
    people.planner.organisation = orgs.other_detaining
    people.planner.save(update_fields=["organisation"])
    again = _post(client, "/api/v1/transfers/", body, "schedule-1")
    assert again.status_code == 404
    assert client.get(f"/api/v1/transfers/{first.json()['id']}/").status_code == 404
    assert "destination" not in again.json()


@pytest.mark.parametrize(("hours", "age", "replayed"), [(24, 23, True), (24, 25, False),
                                                        (2, 3, False)])  # fmt: skip
def test_a_key_replays_only_within_idempotency_hours(people, api, settings, hours, age, replayed):
    settings.IDEMPOTENCY_HOURS = hours
    client = api(people.registrar)
    _post(client, PERSONS, BODY, "key-1")
    _aged(IdempotencyRecord.objects.get(), age)
    again = _post(client, PERSONS, BODY, "key-1")
    assert again.status_code == 201
    assert (again.get("Idempotent-Replayed") == "true") is replayed
    assert Person.objects.count() == (1 if replayed else 2)
    assert IdempotencyRecord.objects.count() == 1


def test_the_prune_job_deletes_the_expired_records_and_keeps_the_others(people, api):
    _record_of(people.registrar, "old", hours_old=25)
    _post(api(people.registrar), PERSONS, BODY, "new")
    assert idempotency_prune.call() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


def test_writing_a_record_runs_the_prune_job_once_an_hour(
    people, api, django_capture_on_commit_callbacks
):
    """In-process jobs (development, tests) prune at once; the next hour's write prunes again."""
    client = api(people.registrar)
    _record_of(people.registrar, "old-1", hours_old=25)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, PERSONS, BODY, "new-1")
    assert not IdempotencyRecord.objects.filter(key="old-1").exists()
    _record_of(people.registrar, "old-2", hours_old=25)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, PERSONS, {**BODY, "rank": "Corporal"}, "new-2")
    assert IdempotencyRecord.objects.filter(key="old-2").exists()  # within the hour: not again


def test_with_a_worker_the_prune_job_waits_until_the_records_of_its_hour_have_expired(
    people, api, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    settings.IDEMPOTENCY_HOURS = 24
    with django_capture_on_commit_callbacks(execute=True):
        _post(api(people.registrar), PERSONS, BODY, "key-1")
    job = DBTaskResult.objects.get(task_path="safepassage.api.tasks.idempotency_prune")
    waits = job.run_after - timezone.now()
    assert datetime.timedelta(hours=24, minutes=59) < waits <= datetime.timedelta(hours=25)


def _plain_digest(path: str, body: dict) -> str:
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"POST {path}\n{text}".encode()).hexdigest()


def test_the_digest_of_a_request_cannot_be_checked_without_the_servers_secret(
    people, api, settings
):
    """A plain hash would let a copy of the database confirm a guessed body (a statement, a
    contact); the digest is keyed, and still matches after a rotation that keeps the old key."""
    client = api(people.registrar)
    _post(client, PERSONS, BODY, "key-1")
    assert IdempotencyRecord.objects.get().fingerprint != _plain_digest(PERSONS, BODY)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "another-secret-key-" * 3
    assert _post(client, PERSONS, BODY, "key-1")["Idempotent-Replayed"] == "true"
    assert Person.objects.count() == 1


def test_a_record_kept_by_the_upgrade_still_replays_its_resource(people, api):
    person = register(people.registrar)
    IdempotencyRecord.objects.create(
        user=people.registrar, key="before", method="POST", path=PERSONS,
        fingerprint=_plain_digest(PERSONS, BODY), response_status=201, resource_id=person.pk,
    )  # fmt: skip
    again = _post(api(people.registrar), PERSONS, BODY, "before")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == person.pk and Person.objects.count() == 1
