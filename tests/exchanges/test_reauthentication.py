"""Executing a batch and confirming a handover ask for the password or a code again after a
while, on the pages and in the API, like a transfer; an API token only right after its login."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from safepassage.api.services import api_token_create
from safepassage.exchanges import services
from safepassage.exchanges.models import BatchState, EntryStatus
from tests.exchanges.builders import agreement, returning, theirs
from tests.factories import force_login_fresh

REAUTHENTICATION = "/api/v1/problems/reauthentication-required"


@pytest.fixture
def agreed(people):
    """One returning man and one of theirs, planned 1 for 1 and agreed."""
    returning(people)
    deal = agreement(people)
    services.pool_add_registry(actor=people.planner, agreement=deal)
    theirs(deal, people.planner, "T1")
    batch = services.batch_plan(actor=people.planner, agreement=deal)
    for target in (BatchState.PROPOSED, BatchState.AGREED):
        services.batch_step(actor=people.planner, batch=batch, target=target, reason="Signed.")
    return batch


@pytest.fixture
def confirmed(people, agreed):
    """The agreed batch with every entry confirmed at the handover: ready to execute."""
    for entry in agreed.entries.all():
        services.entry_handover_confirm(actor=people.planner, entry=entry)
    return agreed


def _stale(user) -> Client:
    """A session whose login is older than the re-authentication timeout."""
    client = Client()
    client.force_login(user)
    return client


def _fresh(user) -> Client:
    client = Client()
    force_login_fresh(client, user)
    return client


def _execute_page(client, batch):
    url = reverse("exchanges:batch_step", args=[batch.pk, BatchState.EXECUTED])
    return client.post(url, {"reason": "Handed over at the border."})


def _handover_page(client, entry):
    return client.post(reverse("exchanges:entry_handover", args=[entry.pk]), {})


def _state(batch) -> str:
    batch.refresh_from_db()
    return batch.state


def test_a_stale_session_is_asked_again_before_executing_a_batch(people, confirmed):
    response = _execute_page(_stale(people.planner), confirmed)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert _state(confirmed) == BatchState.AGREED


def test_a_fresh_session_executes_the_batch(people, confirmed):
    response = _execute_page(_fresh(people.planner), confirmed)
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert _state(confirmed) == BatchState.EXECUTED


def test_other_steps_of_a_batch_do_not_ask_again(people, agreed):
    url = reverse("exchanges:batch_step", args=[agreed.pk, BatchState.CANCELLED])
    response = _stale(people.planner).post(url, {"reason": "Called off."})
    assert response.status_code == 302 and _state(agreed) == BatchState.CANCELLED


def test_a_stale_session_is_asked_again_before_confirming_a_handover(people, agreed):
    entry = agreed.entries.first()
    response = _handover_page(_stale(people.planner), entry)
    assert response.url.startswith(reverse("account_reauthenticate"))
    entry.refresh_from_db()
    assert entry.handover_confirmed_at is None
    assert _handover_page(_fresh(people.planner), entry).status_code == 302
    entry.refresh_from_db()
    assert entry.handover_confirmed_at is not None


def test_the_handover_form_itself_opens_without_asking(people, agreed):
    entry = agreed.entries.first()
    page = _stale(people.planner).get(reverse("exchanges:entry_handover", args=[entry.pk]))
    assert page.status_code == 200


# --- the API ----------------------------------------------------------------------------------


def _token_client(user, *, login_minutes_ago: float | None) -> APIClient:
    at = None
    if login_minutes_ago is not None:
        at = timezone.now() - datetime.timedelta(minutes=login_minutes_ago)
    _token, raw = api_token_create(user=user, name="planning", authenticated_at=at)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def _execute_api(client, batch):
    url = f"/api/v1/exchanges/batches/{batch.pk}/transition/"
    body = {"target": "executed", "reason": "Done."}
    return client.post(url, body, content_type="application/json")


def _handover_api(client, entry):
    return client.post(f"/api/v1/exchanges/entries/{entry.pk}/handover/", {}, format="json")


@pytest.mark.parametrize("minutes", [None, 6])
def test_a_token_without_a_recent_login_may_not_execute_a_batch(people, confirmed, minutes):
    response = _execute_api(_token_client(people.planner, login_minutes_ago=minutes), confirmed)
    assert response.status_code == 403
    body = response.json()
    assert body["type"] == REAUTHENTICATION and "create a new token" in body["detail"]
    assert _state(confirmed) == BatchState.AGREED


def test_a_token_made_right_after_a_login_executes_a_batch(people, confirmed):
    response = _execute_api(_token_client(people.planner, login_minutes_ago=1), confirmed)
    assert response.status_code == 200, response.content
    assert _state(confirmed) == BatchState.EXECUTED


def test_a_stale_api_session_may_not_execute_a_batch(people, confirmed):
    response = _execute_api(_stale(people.planner), confirmed)
    assert response.status_code == 403 and response.json()["type"] == REAUTHENTICATION


def test_a_token_without_a_recent_login_may_not_confirm_a_handover(people, agreed):
    entry = agreed.entries.first()
    response = _handover_api(_token_client(people.planner, login_minutes_ago=None), entry)
    assert response.status_code == 403 and response.json()["type"] == REAUTHENTICATION
    entry.refresh_from_db()
    assert entry.status == EntryStatus.AGREED and entry.handover_confirmed_at is None
    fresh = _handover_api(_token_client(people.planner, login_minutes_ago=1), entry)
    assert fresh.status_code == 200, fresh.content


def test_a_token_without_a_recent_login_still_takes_the_other_steps(people, agreed):
    url = f"/api/v1/exchanges/batches/{agreed.pk}/transition/"
    client = _token_client(people.planner, login_minutes_ago=None)
    response = client.post(url, {"target": "cancelled", "reason": "Off."}, format="json")
    assert response.status_code == 200, response.content
