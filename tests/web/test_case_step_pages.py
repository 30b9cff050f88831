"""The pages of the steps that cannot be undone: the step form never starts on one, each asks
for its facts and shows them on a confirmation page before anything is written; a correction,
a decline and the decision form's choices."""

import datetime

from django.urls import reverse
from django.utils import timezone

from safepassage.cases import services as case_services
from safepassage.cases.models import CaseState, CaseTransition, Declination, StepFacts
from tests.factories import assess, drive_to_decision, post_confirmed, record_will, step

DEATH = {
    "occurred_on": "", "place": "Camp infirmary", "cause": "Septic shock from his wounds",
    "certified_by": "Dr Roe, camp medical officer", "reason": "Death certificate received.",
}  # fmt: skip


def _death(**overrides):
    return {**DEATH, "occurred_on": timezone.localdate().isoformat(), **overrides}


def _page(client, person) -> str:
    url = reverse("registry:person_detail", args=[person.registry_number])
    return client.get(url).content.decode()


def test_the_next_step_never_starts_on_a_choice_and_lists_those_that_cannot_be_undone_last(
    people, kim, login
):
    step(people.registrar, kim, CaseState.NOTIFIED)
    form = (
        login(people.registrar)
        .get(reverse("cases:case_transition", args=[kim.registry_number]))
        .context["form"]
    )
    choices = form.fields["target"].choices
    assert choices[0][0] == ""  # nothing chosen in advance
    assert choices[1][0] == CaseState.AWAITING_INTERVIEW
    group, final = choices[-1]
    assert "Cannot be undone" in str(group)
    assert {value for value, _label in final} == {
        CaseState.DECEASED, CaseState.RELEASED, CaseState.ESCAPED,
    }  # fmt: skip


def test_choosing_death_on_the_step_form_writes_nothing_and_asks_for_its_facts(people, kim, login):
    client = login(people.registrar)
    response = client.post(
        reverse("cases:case_transition", args=[kim.registry_number]),
        {"target": CaseState.DECEASED, "reason": "x"},
    )
    facts_url = reverse("cases:step_final", args=[kim.registry_number, CaseState.DECEASED])
    assert response.status_code == 302 and response.url == facts_url
    kim.case.refresh_from_db()
    assert kim.case.state == CaseState.REGISTERED
    form = client.get(facts_url).context["form"]
    assert set(form.fields) == {"occurred_on", "place", "cause", "certified_by", "reason"}
    assert form.initial["reason"] == "x"  # what he typed beside the choice


def test_death_is_recorded_only_after_the_confirmation_page(people, kim, login):
    client = login(people.registrar)
    url = reverse("cases:step_final", args=[kim.registry_number, CaseState.DECEASED])
    review = client.post(url, _death())
    assert review.status_code == 200
    html = review.content.decode()
    assert "this cannot be undone" in html and "Septic shock from his wounds" in html
    assert not CaseTransition.objects.filter(to_state=CaseState.DECEASED).exists()
    done = client.post(url, {"confirmation": review.context["confirmation"], "confirm": "1"})
    assert done.status_code == 302
    kim.case.refresh_from_db()
    assert kim.case.state == CaseState.DECEASED
    facts = StepFacts.objects.get()
    assert (facts.place, facts.certified_by) == ("Camp infirmary", "Dr Roe, camp medical officer")
    page = _page(client, kim)
    assert "Septic shock from his wounds" in page and "Dr Roe" in page


def test_a_future_date_of_death_is_shown_at_its_field_and_nothing_is_written(people, kim, login):
    url = reverse("cases:step_final", args=[kim.registry_number, CaseState.DECEASED])
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = login(people.registrar).post(url, _death(occurred_on=tomorrow))
    assert response.status_code == 200
    assert "confirmation" not in response.context
    errors = response.context["form"].errors
    assert "in the future" in errors["occurred_on"][0]
    assert not StepFacts.objects.exists()


def test_a_confirmation_that_was_altered_records_nothing(people, kim, login):
    client = login(people.registrar)
    url = reverse("cases:step_final", args=[kim.registry_number, CaseState.DECEASED])
    token = client.post(url, _death()).context["confirmation"]
    response = client.post(url, {"confirmation": token[:-2] + "xx", "confirm": "1"})
    assert response.status_code == 302 and response.url == url
    kim.case.refresh_from_db()
    assert kim.case.state == CaseState.REGISTERED


def test_a_confirmation_is_good_only_for_whom_it_was_shown_and_its_facts_can_be_changed(
    people, kim, login
):
    url = reverse("cases:step_final", args=[kim.registry_number, CaseState.DECEASED])
    token = login(people.registrar).post(url, _death()).context["confirmation"]
    stranger = login(people.planner).post(url, {"confirmation": token, "confirm": "1"})
    assert stranger.status_code == 403
    response = login(people.registrar).post(url, {"confirmation": token, "change": "1"})
    assert response.status_code == 200  # change: the facts come back on the form
    assert response.context["form"].data["place"] == "Camp infirmary"
    kim.case.refresh_from_db()
    assert kim.case.state == CaseState.REGISTERED


def test_the_transfer_is_executed_through_its_confirmation(people, kim, scheduled, login):
    url = reverse("cases:transfer_execute", args=[kim.registry_number, scheduled.pk])
    client = login(people.planner)
    early = client.post(url, {"handed_over_on": timezone.localdate().isoformat(),
                              "transport": "ICRC bus", "early_reason": ""})  # fmt: skip
    assert "before the scheduled date" in early.context["form"].errors["early_reason"][0]
    done = post_confirmed(client, url, {
        "handed_over_on": timezone.localdate().isoformat(), "transport": "ICRC bus",
        "early_reason": "The crossing closes tomorrow.",
    })  # fmt: skip
    assert done.status_code == 302
    page = _page(client, kim)
    assert "The crossing closes tomorrow." in page and "ICRC bus" in page


def test_a_correction_is_taken_through_its_page_and_shown_in_the_history(people, kim, login):
    step(people.registrar, kim, CaseState.DECEASED)
    client = login(people.registrar)
    assert "Correct “Deceased” recorded in error" in _page(client, kim)
    response = client.post(
        reverse("cases:step_correct", args=[kim.registry_number]),
        {"reason": "Another man's death certificate."},
    )
    assert response.status_code == 302
    kim.case.refresh_from_db()
    assert kim.case.state == CaseState.REGISTERED
    page = _page(client, kim)
    assert "recorded in error, corrected" in page
    assert "Another man&#x27;s death certificate." in page


def test_the_decision_form_starts_on_what_his_verified_will_asks(people, kim, login):
    drive_to_decision(people, kim, "KR")
    assess(people.legal_officer, kim, "BR")
    record_will(people.interviewer, kim, preferred=("BR", "KR"))  # reopens the case
    step(people.legal_officer, kim, CaseState.LEGAL_ASSESSMENT)
    form = (
        login(people.decision_maker)
        .get(reverse("cases:decision_new", args=[kim.registry_number]))
        .context["form"]
    )
    assert form.initial == {"kind": "transfer", "destination": "BR"}


def test_the_decision_form_never_starts_on_repatriation_for_a_man_who_refused_it(
    people, kim, login
):
    step(people.registrar, kim, CaseState.NOTIFIED)
    step(people.registrar, kim, CaseState.AWAITING_INTERVIEW)
    record_will(people.interviewer, kim, wish="third_country", preferred=(), refused=("KP",))
    step(people.verifier_legal, kim, CaseState.LEGAL_ASSESSMENT)
    form = (
        login(people.decision_maker)
        .get(reverse("cases:decision_new", args=[kim.registry_number]))
        .context["form"]
    )
    assert form.initial.get("kind") == "transfer"
    assert form["kind"].value() != "repatriation"
    assert form.fields["kind"].choices[0][0] == ""


def test_the_destinations_are_the_states_assessed_for_him_with_their_outcome(people, kim, login):
    drive_to_decision(people, kim, "KR")  # KR assessed low
    assess(people.legal_officer, kim, "RU", persecution="high")
    kim.case.refresh_from_db()
    choices = dict(login(people.decision_maker).get(
        reverse("cases:decision_new", args=[kim.registry_number])
    ).context["form"].fields["destination"].choices)  # fmt: skip
    assert set(choices) == {"", "KR", "RU", "KP"}
    assert "persecution risk: low" in str(choices["KR"])
    assert "persecution risk: high" in str(choices["RU"])
    assert "not assessed" in str(choices["KP"])  # his own state, for a repatriation


def test_a_destination_the_guard_refuses_is_still_refused_from_the_choices(people, kim, login):
    drive_to_decision(people, kim, "KR")
    case_services.acceptance_decline(actor=people.receiving_officer, person=kim, reason="Full.")
    assess(people.legal_officer, kim, "RU", persecution="high")
    response = login(people.decision_maker).post(
        reverse("cases:decision_new", args=[kim.registry_number]),
        {"kind": "transfer", "destination": "RU", "reason": "Try."},
    )
    assert response.status_code == 200
    assert response.context["guard_violations"]
    assert kim.decisions.count() == 1


def test_the_receiving_state_declines_through_its_page(people, kim, login):
    drive_to_decision(people, kim, "KR")
    client = login(people.receiving_officer)
    assert "Decline on behalf of the receiving state" in _page(client, kim)
    response = client.post(
        reverse("cases:acceptance_decline", args=[kim.registry_number]),
        {"reason": "Quota for this year is filled."},
    )
    assert response.status_code == 302
    assert Declination.objects.get().reason == "Quota for this year is filled."
    kim.case.refresh_from_db()
    assert kim.case.state == CaseState.LEGAL_ASSESSMENT
    assert "Quota for this year is filled." in _page(login(people.registrar), kim)
