"""From registration to transfer through the forms, and the guard's refusal shown on them."""

from django.urls import reverse
from django.utils import timezone

from safepassage.cases import services as case_services
from safepassage.cases.models import CaseState, Decision, Transfer
from safepassage.registry.models import Person
from tests.factories import (
    assess,
    drive_to_decision,
    login_with_mfa,
    post_confirmed,
    register,
    tomorrow,
)


def _detail(person) -> str:
    return reverse("registry:person_detail", args=[person.registry_number])


def _post(client, name, person, data):
    response = client.post(reverse(f"cases:{name}", args=[person.registry_number]), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    return response


def test_a_person_goes_from_registration_to_transfer_through_the_ui(client, people, orgs, login):
    login_with_mfa(client, "alice")
    response = client.post(
        reverse("registry:person_new"),
        {
            "names-TOTAL_FORMS": "2", "names-INITIAL_FORMS": "0",
            "names-0-family_name": "김", "names-0-given_name": "철수",
            "names-0-romanization": "as_written",
            "names-1-family_name": "Kim", "names-1-given_name": "Chol Su",
            "names-1-romanization": "dprk", "names-1-source": "Russian military ID",
            "sex": "male", "birth_date_precision": "year", "birth_date": "1999-01-01",
            "nationalities": "kp", "health_status": "seriously_wounded_or_sick",
            "internment_place": "Camp West-3", "internment_place_kind": "camp",
        },
    )  # fmt: skip
    assert response.status_code == 302
    person = Person.objects.get()
    assert response.url == _detail(person)
    assert [n.full_name for n in person.names.all()] == ["김 철수", "Kim Chol Su"]
    assert [n.script for n in person.names.all()] == ["Hang", "Latn"]
    assert [c.code for c in person.nationalities] == ["KP"]
    assert "Registered." in client.get(response.url).content.decode()

    _post(client, "case_transition", person, {"target": "notified", "reason": "Sent to the CTA."})
    _post(client, "case_transition", person, {"target": "awaiting_interview", "reason": "Visit."})
    _post(client, "legal_assign", person, {"organisation": orgs.legal.pk})

    _post(login(people.interviewer), "will_new", person, {
        "expressed_on": timezone.localdate().isoformat(),
        "source": "private_verification_interview", "setting": "private", "present": "",
        "interpreter": "Mission interpreter", "language": "ko", "wish": "named_states",
        "destinations_preferred": "KR", "destinations_refused": "", "certainty": "80",
        "statement": "I want a family, a home and basic rights.",
    })  # fmt: skip
    person.case.refresh_from_db()
    assert person.case.state == CaseState.WILL_VERIFIED

    lena = login(people.legal_officer)
    _post(lena, "case_transition", person, {"target": "legal_assessment", "reason": "Open."})
    _post(lena, "assessment_new", person, {
        "country": "KR", "persecution_risk": "low", "onward_transfer_risk": "none",
        "onward_destinations": "", "basis": "Constitution art. 3; settlement support act.",
    })  # fmt: skip
    _post(lena, "assessment_new", person, {  # the transit state: the guard clears only these
        "country": "PL", "persecution_risk": "none", "onward_transfer_risk": "none",
        "onward_destinations": "", "basis": "EU member; no removals to the DPRK on record.",
    })  # fmt: skip
    _post(login(people.decision_maker), "decision_new", person, {
        "kind": "transfer", "destination": "KR", "reason": "Verified free will; no risk.",
    })  # fmt: skip
    _post(login(people.receiving_officer), "acceptance_new", person, {"reference": "RK-2025-1"})

    planner = login(people.planner)
    _post(planner, "transfer_new", person, {
        "destination": "KR", "transit": "PL", "scheduled_for": tomorrow().isoformat(),
    })  # fmt: skip
    transfer = Transfer.objects.get(person=person)
    assert transfer.transit_codes == ["PL"]
    response = post_confirmed(
        planner,
        reverse("cases:transfer_execute", args=[person.registry_number, transfer.pk]),
        {"handed_over_on": timezone.localdate().isoformat(), "transport": "ICRC bus via PL",
         "early_reason": "Brought forward by the parties."},
    )  # fmt: skip
    assert response.status_code == 302

    person.case.refresh_from_db()
    assert person.case.state == CaseState.TRANSFERRED
    assert [t.to_state for t in person.case.transitions.all()] == [
        "notified", "awaiting_interview", "will_verified", "legal_assessment", "decided",
        "accepted", "transfer_scheduled", "transferred",
    ]  # fmt: skip
    page = planner.get(_detail(person)).content.decode()
    assert "Transfer recorded as executed." in page
    assert "Transferred" in page


def test_it_refuses_a_transfer_through_a_refused_state_on_the_form(people, login):
    person = register(people.registrar)
    drive_to_decision(people, person, "KR")
    case_services.acceptance_record(actor=people.receiving_officer, person=person)

    response = login(people.planner).post(
        reverse("cases:transfer_new", args=[person.registry_number]),
        {"destination": "KR", "transit": "PL, KP", "scheduled_for": tomorrow().isoformat()},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Non-refoulement guard" in html
    # The planner may not read the will: the box says a state is blocked, not which one.
    assert "A state on this route is blocked for him (his will or an assessment)." in html
    assert "Transit state KP is refused" not in html
    assert "Traceback" not in html
    assert not Transfer.objects.filter(person=person).exists()
    person.case.refresh_from_db()
    assert person.case.state == CaseState.ACCEPTED


def test_it_refuses_a_decision_for_a_refused_destination_on_the_form(people, login):
    person = register(people.registrar)
    drive_to_decision(people, person, "KR")
    case_services.risk_assessment_record(
        actor=people.legal_officer, person=person, country="KP", persecution_risk="high",
        onward_transfer_risk="unknown", basis="Capture is treated as betrayal.",
    )  # fmt: skip
    before = Decision.objects.count()

    response = login(people.decision_maker).post(
        reverse("cases:decision_new", args=[person.registry_number]),
        {"kind": "repatriation", "destination": "KP", "reason": "Exchange."},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Non-refoulement guard" in html
    assert "KP is refused in his latest verified will" in html
    assert "KP is assessed high-risk for him" in html
    assert Decision.objects.count() == before


def test_it_shows_a_rule_of_the_service_as_a_plain_error(people, login):
    person = register(people.registrar)
    drive_to_decision(people, person, "KR")
    assess(people.legal_officer, person, "BR")

    response = login(people.planner).post(
        reverse("cases:transfer_new", args=[person.registry_number]),
        {"destination": "BR", "transit": "", "scheduled_for": tomorrow().isoformat()},
    )

    assert response.status_code == 200
    assert "The decision names KR" in response.content.decode()
    assert not Transfer.objects.filter(person=person).exists()


def test_it_rejects_unknown_country_codes_on_the_form(people, login):
    person = register(people.registrar)
    drive_to_decision(people, person, "KR")
    case_services.acceptance_record(actor=people.receiving_officer, person=person)

    response = login(people.planner).post(
        reverse("cases:transfer_new", args=[person.registry_number]),
        {"destination": "KR", "transit": "PL, XX", "scheduled_for": tomorrow().isoformat()},
    )

    assert response.status_code == 200
    assert "Unknown country code(s): XX" in response.content.decode()
