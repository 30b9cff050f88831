"""The reception and follow-up path through the API."""

import pytest
from django.utils import timezone

from safepassage.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_arrival_steps_contacts_and_an_onward_removal_report(people, moved, api):
    today = timezone.localdate().isoformat()
    base = f"/api/v1/persons/{moved.pk}/follow-up/"
    state = api(people.receiving_officer)
    arrived = state.post(f"{base}reception/", {"arrived_on": today}, format="json")
    assert arrived.status_code == 201, arrived.content
    assert arrived.json()["contacts"] is None
    step = arrived.json()["steps"][0]
    done = state.post(f"{base}reception/steps/{step['id']}/",
                      {"done_on": today, "version": step["version"]}, format="json")  # fmt: skip
    assert done.status_code == 200 and done.json()["steps"][0]["done_on"] == today
    verifier = api(people.interviewer)
    planned = verifier.post(f"{base}contacts/", {}, format="json")
    assert planned.status_code == 201 and len(planned.json()["contacts"]) == 4
    contact = planned.json()["contacts"][0]
    reported = verifier.post(
        f"/api/v1/follow-up-contacts/{contact['id']}/",
        {"reached": True, "contacted_on": today, "outcome": "onward_removal", "sent_on_to": "CN",
         "version": contact["version"]}, format="json",
    )  # fmt: skip
    assert reported.status_code == 200, reported.content
    assert Notification.objects.filter(queue="onward_risk").count() == 2
    evidence = api(people.verifier_legal).get("/api/v1/onward-reports/", {"country": "KR"})
    assert [r["sent_on_to"] for r in evidence.json()] == ["CN"]


def test_an_outcome_without_reaching_him_is_a_problem_naming_the_field(people, moved, api):
    verifier = api(people.interviewer)
    contacts = verifier.post(f"/api/v1/persons/{moved.pk}/follow-up/contacts/", {},
                             format="json").json()["contacts"]  # fmt: skip
    refused = verifier.post(
        f"/api/v1/follow-up-contacts/{contacts[0]['id']}/",
        {"reached": False, "contacted_on": timezone.localdate().isoformat(), "outcome": "safe"},
        format="json",
    )  # fmt: skip
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "outcome"
