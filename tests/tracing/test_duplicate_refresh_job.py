"""The search for duplicates runs as a background job over the reviewer's own organisation's
records only, shows its progress on the page, and counts only his organisation's pairs."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from safepassage.audit.models import AuditEvent
from safepassage.registry.services import NameInput, person_register
from safepassage.tracing import jobs, services
from safepassage.tracing.models import DuplicatePair, DuplicateRefresh, RefreshStatus
from tests.factories import force_login_fresh
from tests.tracing.tracing_data import register_kim

pytestmark = pytest.mark.django_db

LIST = "/tracing/duplicates/"


def twins(registrar):
    """One man twice in `registrar`'s registry: a Latin list and his capture card in Hangul."""
    latin = register_kim(registrar)
    hangul = person_register(
        actor=registrar,
        names=[NameInput(family_name="김", given_name="철수", source="capture card")],
        nationalities=["KP"],
        birth_date=datetime.date(1999, 4, 1),
        birth_date_precision="month",
        unit="Unit 1124",
    )
    return {latin.pk, hangul.pk}


def client_for(user) -> Client:
    client = Client()
    force_login_fresh(client, user)
    return client


@pytest.fixture
def two_registries(people):
    return twins(people.registrar), twins(people.outsider)


def test_a_search_pairs_only_the_reviewers_own_organisations_records(
    people, two_registries, django_capture_on_commit_callbacks
):
    ours, _theirs = two_registries
    with django_capture_on_commit_callbacks(execute=True):
        client_for(people.registrar).post(LIST)
    pair = DuplicatePair.objects.get()
    assert {pair.left_id, pair.right_id} == ours


def test_the_page_counts_only_the_reviewers_own_pairs(
    people, two_registries, django_capture_on_commit_callbacks
):
    client = client_for(people.registrar)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(LIST)
    page = client.get(LIST).content.decode()
    assert ": 1 new pair among your organisation's records." in page
    assert DuplicateRefresh.objects.get().added == 1


def test_the_request_answers_at_once_and_the_page_follows_the_job(
    people, two_registries, django_capture_on_commit_callbacks
):
    client = client_for(people.registrar)
    with django_capture_on_commit_callbacks(execute=False) as jobs:
        response = client.post(LIST)
    assert response.status_code == 302
    assert DuplicatePair.objects.count() == 0  # nothing linked inside the request
    refresh = DuplicateRefresh.objects.get()
    assert refresh.status == RefreshStatus.PENDING and len(jobs) == 1
    progress_url = f"/tracing/duplicates/searches/{refresh.pk}/"
    assert f'hx-get="{progress_url}"' in client.get(LIST).content.decode()

    jobs[0]()  # the worker runs it
    refresh.refresh_from_db()
    assert refresh.status == RefreshStatus.DONE
    assert refresh.records_done == refresh.records_total == 2  # his two records, not all four
    polled = client.get(progress_url)
    assert polled["HX-Refresh"] == "true"
    assert "hx-get" not in polled.content.decode()


def test_progress_is_written_as_the_records_are_compared(people, two_registries, monkeypatch):
    monkeypatch.setattr(services, "REFRESH_CHUNK", 1)
    seen = []
    services.duplicate_queue_refresh(
        organisation=people.registrar.organisation,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen[0] == (0, 2) and (1, 2) in seen and seen[-1] == (2, 2)


def test_another_organisations_search_is_not_found(
    people, two_registries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(people.registrar).post(LIST)
    refresh = DuplicateRefresh.objects.get()
    response = client_for(people.outsider).get(f"/tracing/duplicates/searches/{refresh.pk}/")
    assert response.status_code == 404
    assert "records compared" not in client_for(people.outsider).get(LIST).content.decode()


def test_a_second_request_joins_the_running_search(people, two_registries):
    first = jobs.duplicate_refresh_request(actor=people.registrar)
    assert jobs.duplicate_refresh_request(actor=people.registrar) == first
    assert DuplicateRefresh.objects.count() == 1


def test_the_search_and_its_result_are_audited(
    people, two_registries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        jobs.duplicate_refresh_request(actor=people.registrar)
    events = AuditEvent.objects.filter(action__startswith="registry.duplicate_refresh")
    assert [e.action for e in events.order_by("pk")] == [
        "registry.duplicate_refresh",
        "registry.duplicate_refresh_done",
    ]
    assert events.order_by("pk").last().changes["added"] == [None, 1]


def test_a_reviewer_without_the_role_cannot_start_a_search(people, two_registries):
    response = client_for(people.decision_maker).post(LIST)
    assert response.status_code == 403
    assert DuplicateRefresh.objects.count() == 0


def test_a_search_whose_worker_died_does_not_block_the_next(people, two_registries):
    first = jobs.duplicate_refresh_request(actor=people.registrar)
    silent = timezone.now() - jobs.REFRESH_SILENT - datetime.timedelta(minutes=1)
    DuplicateRefresh.objects.filter(pk=first.pk).update(created_at=silent)
    second = jobs.duplicate_refresh_request(actor=people.registrar)
    assert second != first
    first.refresh_from_db()
    assert first.status == RefreshStatus.FAILED and second.status == RefreshStatus.PENDING
    event = AuditEvent.objects.filter(action="registry.duplicate_refresh").order_by("pk").last()
    assert event.changes["abandoned"] == [None, first.pk]
