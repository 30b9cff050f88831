"""A partner takes a case the whole way through the API, through the services the UI uses."""

from django.utils import timezone

from safepassage.cases.models import CaseState, TransferStatus
from tests.factories import handover_json, tomorrow


def _ok(response, status=201) -> dict:
    assert response.status_code == status, response.content
    return response.json()


def _post(client, url: str, status: int = 201, **body) -> dict:
    return _ok(client.post(url, body, format="json"), status)


def test_a_case_goes_from_registration_to_transfer_through_the_api(people, orgs, api):
    alice, vera, victor = api(people.registrar), api(people.interviewer), api(people.verifier_legal)
    dmitro, minjun = api(people.decision_maker), api(people.receiving_officer)
    petro = api(people.planner)
    person = _post(alice, "/api/v1/persons/", names=[{"family_name": "Kim"}], nationalities=["KP"])
    base = f"/api/v1/persons/{person['id']}/"
    for target in ("notified", "awaiting_interview"):
        step = _post(alice, base + "transitions/", to_state=target, reason="Done.")
        assert step["to_state"] == target
    will = _post(
        vera,
        base + "will-expressions/",
        expressed_on=str(timezone.localdate()),
        source="private_verification_interview",
        setting="private",
        wish="named_states",
        destinations_preferred=["KR"],
        certainty=90,
        statement="Seoul.",
    )
    assert will["verified"] and will["governing"] and will["destinations_refused"] == ["KP"]
    _post(victor, base + "transitions/", to_state="legal_assessment", reason="Open.")
    for country in ("KR", "PL"):  # the destination, and the transit state the route takes
        _post(
            victor,
            base + "assessments/",
            country=country,
            persecution_risk="low",
            onward_transfer_risk="low",
            basis="Reports.",
        )
    decision = _post(
        dmitro, base + "decisions/", kind="transfer", destination="KR", reason="Verified."
    )
    assert decision["acceptance"] is None
    _post(minjun, base + "acceptances/", reference="KR-7")
    transfer = _post(
        petro,
        "/api/v1/transfers/",
        person=person["id"],
        destination="KR",
        transit=["pl"],
        scheduled_for=str(tomorrow()),
    )
    assert transfer["transit"] == ["PL"] and transfer["status"] == TransferStatus.SCHEDULED
    done = _post(petro, f"/api/v1/transfers/{transfer['id']}/execute/", 200, **handover_json())
    assert done["status"] == TransferStatus.EXECUTED
    assert _ok(alice.get(base), 200)["status"] == CaseState.TRANSFERRED
    history = [t["to_state"] for t in _ok(alice.get(base + "transitions/"), 200)]
    assert history[-1] == CaseState.TRANSFERRED and "accepted" in history


def test_a_transfer_is_cancelled_and_a_will_withdrawn_through_the_api(people, kim, scheduled, api):
    petro = api(people.planner)
    cancelled = _post(petro, f"/api/v1/transfers/{scheduled.pk}/cancel/", 200, reason="No flight.")
    assert cancelled["status"] == TransferStatus.CANCELLED
    will_id = api(people.interviewer).get(f"/api/v1/persons/{kim.pk}/will-expressions/").json()
    url = f"/api/v1/persons/{kim.pk}/will-expressions/{will_id[0]['id']}/withdraw/"
    withdrawn = _post(api(people.interviewer), url, 200, reason="Wrong person.")
    assert withdrawn["withdrawn_at"] and not withdrawn["governing"]
    state = _ok(api(people.registrar).get(f"/api/v1/persons/{kim.pk}/"), 200)["status"]
    assert state == CaseState.AWAITING_INTERVIEW


def test_legal_representation_is_assigned_and_removed(people, orgs, kim, api):
    alice = api(people.registrar)
    url = f"/api/v1/persons/{kim.pk}/legal-organisation/"
    assigned = _ok(alice.put(url, {"organisation": orgs.legal.pk}, format="json"), 200)
    assert assigned["legal_organisation"] == orgs.legal.pk
    assert api(people.legal_officer).get(f"/api/v1/persons/{kim.pk}/").status_code == 200
    wrong = alice.put(url, {"organisation": orgs.receiving.pk}, format="json")
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == "organisation"
    _ok(alice.put(url, {"organisation": None}, format="json"), 200)
    assert api(people.legal_officer).get(f"/api/v1/persons/{kim.pk}/").status_code == 404


def test_auditors_read_their_own_organisations_events_only(people, kim, api):
    events = _ok(api(people.auditor).get("/api/v1/audit-events/"), 200)["results"]
    assert events and {e["organisation"] for e in events} == {people.auditor.organisation_id}
    outsider = _ok(api(people.outsider).get("/api/v1/audit-events/"), 200)["results"]
    assert all(e["organisation"] == people.outsider.organisation_id for e in outsider)
    assert api(people.outsider).get(f"/api/v1/audit-events/{events[0]['id']}/").status_code == 404
