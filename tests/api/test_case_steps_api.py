"""The API of the steps that cannot be undone: a death with its facts and `confirm`, the
execution with its handover, a correction, a receiving state's decline."""

import datetime

from django.utils import timezone

from safepassage.cases.models import CaseState, Declination, StepFacts, TransferStatus
from tests.factories import drive_to_decision, handover_json, step


def _transitions(kim) -> str:
    return f"/api/v1/persons/{kim.pk}/transitions/"


DEATH = {
    "to_state": "deceased", "reason": "Death certificate received.", "place": "Camp infirmary",
    "cause": "Wounds", "certified_by": "Dr Roe",
}  # fmt: skip


def _fields(response) -> dict[str, str]:
    return {error["field"]: error["detail"] for error in response.json().get("errors", [])}


def test_death_cannot_be_recorded_through_the_api_without_its_facts(people, kim, api):
    response = api(people.registrar).post(
        _transitions(kim), {"to_state": "deceased", "reason": "x", "confirm": True}, format="json"
    )
    assert response.status_code in (400, 422)
    assert "occurred_on" in _fields(response) or "date of death" in response.json()["detail"]
    kim.case.refresh_from_db()
    assert kim.case.state == CaseState.REGISTERED


def test_death_cannot_be_recorded_through_the_api_without_confirm(people, kim, api):
    body = {**DEATH, "occurred_on": str(timezone.localdate())}
    response = api(people.registrar).post(_transitions(kim), body, format="json")
    assert response.status_code in (400, 422)
    assert "cannot be undone" in response.content.decode()
    assert not StepFacts.objects.exists()


def test_a_future_date_of_death_is_refused_through_the_api_naming_the_field(people, kim, api):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    body = {**DEATH, "occurred_on": str(tomorrow), "confirm": True}
    response = api(people.registrar).post(_transitions(kim), body, format="json")
    assert response.status_code in (400, 422)
    assert "in the future" in response.content.decode()
    assert "occurred_on" in response.content.decode()


def test_death_is_recorded_through_the_api_with_its_facts_and_confirm(people, kim, api):
    body = {**DEATH, "occurred_on": str(timezone.localdate()), "confirm": True}
    response = api(people.registrar).post(_transitions(kim), body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["facts"]["cause"] == "Wounds"
    kim.case.refresh_from_db()
    assert kim.case.state == CaseState.DECEASED


def test_a_death_recorded_in_error_is_corrected_through_the_api(people, kim, api):
    step(people.registrar, kim, CaseState.DECEASED)
    response = api(people.registrar).post(
        _transitions(kim) + "correct/", {"reason": "Wrong man."}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["to_state"] == CaseState.REGISTERED
    assert response.json()["facts"]["corrects"] is not None


def test_execution_through_the_api_before_the_scheduled_date_needs_a_reason(
    people, kim, scheduled, api
):
    url = f"/api/v1/transfers/{scheduled.pk}/execute/"
    client = api(people.planner)
    refused = client.post(url, handover_json(early_reason=""), format="json")
    assert refused.status_code in (400, 422)
    assert "early_reason" in refused.content.decode()
    unconfirmed = client.post(url, handover_json(confirm=False), format="json")
    assert "cannot be undone" in unconfirmed.content.decode()
    scheduled.refresh_from_db()
    assert scheduled.status == TransferStatus.SCHEDULED
    done = client.post(url, handover_json(), format="json")
    assert done.status_code == 200, done.content
    assert done.json()["handover"]["transport"] == "ICRC bus"


def test_the_receiving_state_declines_through_the_api(people, kim, api):
    drive_to_decision(people, kim, "KR")
    url = f"/api/v1/persons/{kim.pk}/acceptances/decline/"
    assert api(people.decision_maker).post(url, {"reason": "x"}, format="json").status_code == 403
    response = api(people.receiving_officer).post(url, {"reason": "Quota filled."}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["reason"] == "Quota filled."
    assert Declination.objects.count() == 1
    kim.case.refresh_from_db()
    assert kim.case.state == CaseState.LEGAL_ASSESSMENT
    decisions = api(people.registrar).get(f"/api/v1/persons/{kim.pk}/decisions/").json()
    assert decisions[0]["declination"]["reason"] == "Quota filled."


def test_the_api_keeps_taking_a_country_code_and_the_guard_still_refuses(people, kim, api):
    drive_to_decision(people, kim, "KR")
    url = f"/api/v1/persons/{kim.pk}/acceptances/decline/"
    api(people.receiving_officer).post(url, {"reason": "Quota filled."}, format="json")
    response = api(people.decision_maker).post(
        f"/api/v1/persons/{kim.pk}/decisions/",
        {"kind": "transfer", "destination": "ru", "reason": "Not assessed."},
        format="json",
    )
    assert response.status_code == 422
    assert kim.decisions.count() == 1
