"""One case through the browser, each step by the person whose work it is: registering him,
the neutral verifier's private interview, the risk assessment, the decision, and the
non-refoulement guard refusing a transfer through a state he refused, and a death recorded
through its facts and a confirmation."""

import datetime
import re

from django.urls import reverse
from playwright.sync_api import expect

from safepassage.cases import services as case_services
from safepassage.cases.models import Case, CaseState, DecisionKind, Transfer
from safepassage.registry.models import Person
from tests.cases.builders import awaiting_interview, in_legal_assessment, state_of
from tests.factories import assess


def _detail(person) -> str:
    return reverse("registry:person_detail", args=[person.registry_number])


def test_a_registrar_registers_a_prisoner_of_war_in_two_scripts(people, browsing):
    page = browsing.open(people.registrar, path=reverse("registry:person_list"))
    page.get_by_role("link", name="Register a prisoner of war").click()
    first, second = (
        page.get_by_role("group", name="Name 1"),
        page.get_by_role("group", name="Name 2"),
    )
    first.get_by_label("Family name").fill("김")
    first.get_by_label("Given names").fill("철수")
    second.get_by_label("Family name").fill("Kim")
    second.get_by_label("Given names").fill("Chol Su")
    page.get_by_label("Claimed nationalities").fill("KP")
    page.get_by_label("Place of internment:", exact=True).fill("Camp West-3")
    browsing.shot(page, "form")
    page.get_by_role("button", name="Register", exact=True).click()

    expect(page.get_by_text("Registered. His case is open.")).to_be_visible()
    person = Person.objects.get()
    assert page.url.endswith(_detail(person))
    expect(page.get_by_role("heading", name="김 철수")).to_be_visible()
    expect(page.get_by_role("cell", name="Kim Chol Su")).to_be_visible()
    browsing.shot(page, "registered")


def test_the_neutral_verifier_records_a_private_interview_that_becomes_his_verified_will(
    people, browsing
):
    person = awaiting_interview(people)
    page = browsing.open(people.interviewer, path=_detail(person))
    page.get_by_role("link", name="Record a will expression").click()
    # The verifier's form starts as a private interview without witnesses.
    expect(page.get_by_label("Source")).to_have_value("private_verification_interview")
    expect(page.get_by_label("Setting")).to_have_value("private")
    page.get_by_label(re.compile(r"^Interpreter:?$")).fill("Mission interpreter (Korean)")
    page.get_by_label("Interpreter's organisation").select_option(
        label="The neutral verifier's own staff"
    )
    page.get_by_label("Language of the interview").fill("Korean")
    page.get_by_label("Wish").select_option(label="Go to named state(s)")
    page.get_by_label("Destinations preferred").fill("KR")
    page.get_by_label("Destinations refused").fill("KP, RU")
    page.get_by_label("Certainty (%)").fill("80")
    page.get_by_label("Statement").fill("I want a family, a home and basic rights, in Seoul.")
    browsing.shot(page, "interview-form")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Will expression recorded.")).to_be_visible()
    entry = page.locator(".timeline__entry--will").first
    expect(entry.get_by_text("verified", exact=True)).to_be_visible()
    expect(entry.get_by_text("governing", exact=True)).to_be_visible()
    will = Case.objects.get(person=person).governing_will
    assert will.verified and [c.code for c in will.destinations_refused] == ["KP", "RU"]
    assert will.interpreter_affiliation == "verifier"
    browsing.shot(page, "verified-will")


def test_a_legal_officer_records_a_risk_assessment(people, browsing):
    person = in_legal_assessment(people)
    page = browsing.open(people.legal_officer, path=_detail(person))
    page.get_by_role("link", name="Record a risk assessment").click()
    page.get_by_label("State assessed").fill("KP")
    page.get_by_label("Persecution risk").select_option("high")
    page.get_by_label("Onward-transfer risk").select_option("low")
    page.get_by_label("Basis").fill("Capture is treated as betrayal; returnees face camps.")
    browsing.shot(page, "assessment-form")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Risk assessment recorded.")).to_be_visible()
    heading = page.get_by_role("heading", name="Risk assessment")
    expect(heading).to_contain_text("North Korea (KP)")
    assert person.risk_assessments.get().persecution_risk == "high"
    browsing.shot(page, "assessed")


def test_a_decision_maker_decides_for_an_assessed_destination(people, browsing):
    person = in_legal_assessment(people)
    assess(people.legal_officer, person, "KR")
    page = browsing.open(people.decision_maker, path=_detail(person))
    page.get_by_role("link", name="Take a decision").click()
    expect(page.get_by_role("table", name="States assessed for him")).to_be_visible()
    page.get_by_label("Decision:", exact=True).select_option(DecisionKind.TRANSFER)
    # Chosen among the states assessed for him, each with its outcome.
    page.get_by_label("Destination").select_option("KR")
    page.get_by_label("Reason").fill("Free will verified in private; no risk found for KR.")
    browsing.shot(page, "decision-form")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Decision taken.")).to_be_visible()
    assert state_of(person) == CaseState.DECIDED
    browsing.shot(page, "decided")


def test_the_guard_refuses_a_transfer_through_a_state_he_refused(people, browsing):
    person = in_legal_assessment(people, preferred=("KR",), refused=("RU",))
    assess(people.legal_officer, person, "KR")
    case_services.decision_take(
        actor=people.decision_maker, person=person, kind=DecisionKind.TRANSFER,
        destination="KR", reason="Free will verified; no risk found.",
    )  # fmt: skip
    case_services.acceptance_record(actor=people.receiving_officer, person=person, reference="R1")
    page = browsing.open(people.planner, path=_detail(person))
    page.get_by_role("link", name="Schedule the transfer").click()
    expect(page.get_by_label("Destination")).to_have_value("KR")
    page.get_by_label("Transit states, in order").fill("RU")
    page.get_by_label("Scheduled for").fill("2030-05-01")
    browsing.shot(page, "transfer-form")
    page.get_by_role("button", name="Save").click()

    guard = page.get_by_role("alert").filter(has_text="Non-refoulement guard")
    expect(guard).to_be_visible()
    expect(guard).to_contain_text("Nothing was saved")
    # The planner may not read the will: the box says a state is blocked, not which one.
    expect(guard).to_contain_text("A state on this route is blocked for him")
    expect(guard).not_to_contain_text("is refused in his latest verified will")
    assert not Transfer.objects.filter(person=person).exists()
    assert state_of(person) == CaseState.ACCEPTED
    browsing.shot(page, "guard-refuses")


def test_a_registrar_records_a_death_through_its_facts_and_a_confirmation(people, browsing):
    person = awaiting_interview(people)
    page = browsing.open(people.registrar, path=_detail(person))
    expect(page.locator("#step_target")).to_have_value("")  # nothing chosen in advance
    page.locator("#step_target").select_option(CaseState.DECEASED)
    page.locator("#step_reason").fill("Death certificate received from the camp hospital.")
    page.get_by_role("button", name="Record step").click()

    expect(page.get_by_role("heading", name="Record death (Art. 120)")).to_be_visible()
    assert state_of(person) == CaseState.AWAITING_INTERVIEW
    page.get_by_label("Date of death").fill(datetime.date.today().isoformat())  # noqa: DTZ011
    page.get_by_label("Place of death").fill("Camp infirmary")
    page.get_by_label("Cause of death").fill("Septic shock from his wounds")
    page.get_by_label("Certified by").fill("Dr Roe, camp medical officer")
    expect(page.get_by_label("Reason")).to_have_value(
        "Death certificate received from the camp hospital."
    )
    page.get_by_role("button", name="Review before recording").click()

    expect(page.get_by_text("Check the facts: this cannot be undone")).to_be_visible()
    expect(page.get_by_text("Septic shock from his wounds")).to_be_visible()
    assert state_of(person) == CaseState.AWAITING_INTERVIEW  # nothing written yet
    browsing.shot(page, "death-confirmation")
    page.get_by_role("button", name="Confirm: Record death (Art. 120)").click()

    expect(page.get_by_text("Step recorded.")).to_be_visible()
    assert state_of(person) == CaseState.DECEASED
    expect(page.get_by_text("Dr Roe, camp medical officer")).to_be_visible()
    browsing.shot(page, "death-recorded")
