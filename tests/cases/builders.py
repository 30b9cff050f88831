"""Cases at a given point of the workflow, built through the services as the product builds them."""

import datetime

from django.utils import timezone

from safepassage.cases import services
from safepassage.cases.guard import guard_facts
from safepassage.cases.models import (
    Case,
    CaseState,
    DecisionKind,
    GuardClearance,
    InterviewSetting,
    WillSource,
    Wish,
)
from tests.factories import assess, drive_to_decision, record_will, register, step, tomorrow


def blocks_of(person) -> set[tuple[str, str]]:
    """(state, rule) of every block the guard finds for him now."""
    found = guard_facts(person).blocks()
    return {(country, block.rule) for country, blocks in found.items() for block in blocks}


def clearances_of(person) -> set[tuple[str, str]]:
    """(state, role) of every clearance row the database holds for him."""
    return set(GuardClearance.objects.filter(person=person).values_list("country", "role"))


def state_of(person) -> str:
    person.case.refresh_from_db()
    return person.case.state


def governing_will(person):
    return Case.objects.select_related("governing_will").get(person=person).governing_will


def awaiting_interview(people, **fields):
    """Registered, represented by the legal NGO, notified and waiting for the verifier."""
    person = register(people.registrar, **fields)
    services.legal_organisation_assign(
        actor=people.registrar, person=person, organisation=people.legal_officer.organisation
    )
    step(people.registrar, person, CaseState.NOTIFIED)
    step(people.registrar, person, CaseState.AWAITING_INTERVIEW)
    return person


def in_legal_assessment(people, *, preferred=("KR",), refused=()):
    person = awaiting_interview(people)
    record_will(people.interviewer, person, preferred=preferred, refused=refused)
    step(people.legal_officer, person, CaseState.LEGAL_ASSESSMENT)
    return person


def decided(people, destination="KR", kind=DecisionKind.TRANSFER):
    person = register(people.registrar)
    drive_to_decision(people, person, destination, kind)
    return person


def accepted(people, destination="KR"):
    person = decided(people, destination)
    officer = {"KR": people.receiving_officer, "BR": people.other_receiving_officer}[destination]
    services.acceptance_record(actor=officer, person=person, reference="ACC-1")
    return person


def scheduled(people, destination="KR", transit=()):
    """Accepted by the receiving state and scheduled for tomorrow through `transit`, each
    transit state assessed low-risk first (the guard clears only assessed states)."""
    person = accepted(people, destination)
    for code in transit:
        assess(people.legal_officer, person, code)
    transfer = services.transfer_schedule(
        actor=people.planner, person=person, destination=destination, transit=list(transit),
        scheduled_for=tomorrow(),
    )  # fmt: skip
    return person, transfer


def repatriation_decided(people):
    """A man who wants to go home to the DPRK, decided for repatriation."""
    person = register(people.registrar)
    services.legal_organisation_assign(
        actor=people.registrar, person=person, organisation=people.legal_officer.organisation
    )
    step(people.registrar, person, CaseState.NOTIFIED)
    step(people.registrar, person, CaseState.AWAITING_INTERVIEW)
    record_will(people.interviewer, person, wish=Wish.RETURN_TO_ORIGIN, preferred=("KP",))
    step(people.legal_officer, person, CaseState.LEGAL_ASSESSMENT)
    assess(people.legal_officer, person, "KP")
    services.decision_take(
        actor=people.decision_maker, person=person, kind=DecisionKind.REPATRIATION,
        destination="KP", reason="He wishes to go home; verified in private.",
    )  # fmt: skip
    return person


def will_kwargs(**overrides):
    """Arguments of a verified private interview; override any."""
    values = {
        "expressed_on": timezone.localdate(),
        "source": WillSource.PRIVATE_VERIFICATION_INTERVIEW,
        "setting": InterviewSetting.PRIVATE,
        "wish": Wish.NAMED_STATES,
        "destinations_preferred": ["KR"],
        "destinations_refused": [],
        "certainty": 80,
        "statement": "I want to live in Seoul.",
    }
    values.update(overrides)
    return values


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)
