"""The review queue of field work in the API: `GET /api/v1/field-conflicts/`."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from safepassage.api.services import api_token_create
from safepassage.field.models import FieldConflict
from tests.field.test_visit_bundle_receive import (  # noqa: F401
    _server_key,
    conflict_received,
    packaged,
)

URL = reverse("api:field-conflict-list")


def _client(user) -> APIClient:
    client = APIClient()
    _token, raw = api_token_create(user=user, name="tests")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def conflict(people, packaged):  # noqa: F811
    return conflict_received(people, packaged)


def test_the_visiting_interviewer_lists_the_open_conflict_side_by_side(people, conflict):
    answer = _client(people.interviewer).get(URL)
    assert answer.status_code == 200
    (row,) = answer.json()["results"]
    assert row["id"] == conflict.pk and row["person"] == conflict.person_id
    place = next(r for r in row["rows"] if r["field"] == "internment_place")
    assert place == {"field": "internment_place", "packaged": "Camp West-3",
                     "centre": "Hospital East-1", "seen_in_the_field": "Camp West-3"}  # fmt: skip


def test_a_resolved_conflict_or_another_visit_is_not_listed(people, conflict):
    client = _client(people.interviewer)
    assert client.get(URL, {"visit": conflict.visit_id + 1}).json()["results"] == []
    assert len(client.get(URL, {"visit": conflict.visit_id}).json()["results"]) == 1
    FieldConflict.objects.filter(pk=conflict.pk).update(
        resolution="centre_kept", resolved_at=conflict.created_at
    )
    assert client.get(URL).json()["results"] == []


def test_the_registrar_of_the_detaining_power_is_refused(people, conflict):
    answer = _client(people.registrar).get(URL)
    assert answer.status_code == 403
    assert conflict.person.registry_number not in answer.content.decode()
