"""Scheduling and executing a transfer ask for the password or a code again after a while."""

import datetime
import time

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safepassage.api.services import api_token_create
from safepassage.cases import services as case_services
from safepassage.cases.models import Transfer
from tests.factories import PASSWORD, drive_to_decision, login_with_mfa, register, tomorrow


@pytest.fixture
def decided(people, orgs):
    person = register(people.registrar)
    drive_to_decision(people, person)
    case_services.acceptance_record(actor=people.receiving_officer, person=person)
    return person


def _schedule(client, person):
    return client.post(
        reverse("cases:transfer_new", args=[person.registry_number]),
        {"destination": "KR", "scheduled_for": tomorrow().isoformat(), "transit": ""},
    )


def _age_the_login(client, seconds):
    session = client.session
    records = session[AUTHENTICATION_METHODS_SESSION_KEY]
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {**record, "at": record["at"] - seconds} for record in records
    ]
    session.save()


def test_a_fresh_login_may_schedule_a_transfer(people, decided):
    client = Client()
    login_with_mfa(client, "petro")
    response = _schedule(client, decided)
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert Transfer.objects.filter(person=decided, status="scheduled").exists()


def test_after_five_minutes_he_is_asked_again_and_the_request_resumes(people, decided):
    client = Client()
    login_with_mfa(client, "petro")
    _age_the_login(client, 6 * 60)
    response = _schedule(client, decided)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not Transfer.objects.filter(person=decided).exists()
    resumed = client.post(response.url, {"password": PASSWORD}, follow=True)
    assert resumed.status_code == 200
    assert Transfer.objects.filter(person=decided, status="scheduled").exists()


def test_the_form_itself_opens_without_asking(people, decided):
    client = Client()
    client.force_login(people.planner)
    page = client.get(reverse("cases:transfer_new", args=[decided.registry_number]))
    assert page.status_code == 200


def test_an_api_session_must_have_authenticated_recently(people, decided):
    client = Client()
    client.force_login(people.planner)  # a session without a recent password or code
    body = {"person": decided.pk, "destination": "KR", "scheduled_for": tomorrow().isoformat()}
    response = client.post("/api/v1/transfers/", body, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["type"].endswith("/reauthentication-required")
    assert not Transfer.objects.filter(person=decided).exists()


def _schedule_with_token(person, *, login_minutes_ago, user):
    at = None
    if login_minutes_ago is not None:
        at = timezone.now() - datetime.timedelta(minutes=login_minutes_ago)
    _token, raw = api_token_create(user=user, name="planning", authenticated_at=at)
    body = {"person": person.pk, "destination": "KR", "scheduled_for": tomorrow().isoformat()}
    return Client().post(
        "/api/v1/transfers/",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )


def test_a_token_made_right_after_a_login_schedules_a_transfer(people, decided):
    response = _schedule_with_token(decided, login_minutes_ago=1, user=people.planner)
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("minutes", [None, 6, 60])
def test_a_token_whose_login_is_not_recent_must_not_schedule_a_transfer(people, decided, minutes):
    # None: made by the console, which records no login.
    response = _schedule_with_token(decided, login_minutes_ago=minutes, user=people.planner)
    assert response.status_code == 403
    problem = response.json()
    assert problem["type"].endswith("/reauthentication-required")
    assert "within 5 minutes of the login that created it" in problem["detail"]
    assert not Transfer.objects.filter(person=decided).exists()


def test_a_token_whose_login_is_not_recent_must_not_execute_a_transfer(people, decided):
    transfer = case_services.transfer_schedule(
        actor=people.planner, person=decided, destination="KR", scheduled_for=tomorrow()
    )
    _token, raw = api_token_create(user=people.planner, name="planning")
    response = Client().post(
        f"/api/v1/transfers/{transfer.pk}/execute/",
        {},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 403
    transfer.refresh_from_db()
    assert transfer.status == "scheduled"


def test_the_login_record_is_what_counts(people, decided):
    client = Client()
    login_with_mfa(client, "petro")
    records = client.session[AUTHENTICATION_METHODS_SESSION_KEY]
    assert {r["method"] for r in records} >= {"password", "mfa"}
    assert all(time.time() - r["at"] < 60 for r in records)
