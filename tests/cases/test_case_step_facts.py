"""A death (Art. 120), release, escape or closure: its facts and a confirmation, or nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from safepassage.audit.models import AuditEvent
from safepassage.cases import services
from safepassage.cases.models import CaseState, CaseTransition, StepFacts
from safepassage.lib.errors import DomainError
from tests.cases.builders import awaiting_interview, state_of
from tests.factories import audited_changes, register, step


def death(people, person, **overrides):
    facts = {
        "occurred_on": timezone.localdate(), "place": "Camp infirmary",
        "cause": "Septic shock from his wounds", "certified_by": "Dr Roe, camp medical officer",
        "confirmed": True,
    }  # fmt: skip
    facts.update(overrides)
    return services.case_transition(
        actor=people.registrar, person=person, target=CaseState.DECEASED,
        reason="Death certificate received.", **facts,
    )  # fmt: skip


def test_death_is_recorded_with_its_facts(people):
    person = awaiting_interview(people)
    death(people, person)
    assert state_of(person) == CaseState.DECEASED
    facts = StepFacts.objects.get(transition__case__person=person)
    assert facts.transition.to_state == CaseState.DECEASED
    assert facts.occurred_on == timezone.localdate()
    assert facts.cause == "Septic shock from his wounds"
    assert facts.certified_by == "Dr Roe, camp medical officer"


def test_the_facts_of_a_death_are_audited(people):
    person = awaiting_interview(people)
    death(people, person)
    event = AuditEvent.objects.get(action="case.step_facts", person=person)
    assert event.actor == people.registrar
    assert audited_changes(event)["cause"] == [None, "Septic shock from his wounds"]
    assert audited_changes(event)["place"] == [None, "Camp infirmary"]


@pytest.mark.parametrize("missing", ["occurred_on", "place", "cause", "certified_by"])
def test_death_cannot_be_recorded_without_each_of_its_facts(people, missing):
    person = awaiting_interview(people)
    with pytest.raises(DomainError) as error:
        death(people, person, **{missing: None if missing == "occurred_on" else " "})
    assert error.value.field == missing
    assert state_of(person) == CaseState.AWAITING_INTERVIEW
    assert not StepFacts.objects.exists()


def test_death_cannot_be_recorded_without_a_confirmation(people):
    person = awaiting_interview(people)
    with pytest.raises(DomainError, match="cannot be undone") as error:
        death(people, person, confirmed=False)
    assert error.value.field == "confirm"
    assert state_of(person) == CaseState.AWAITING_INTERVIEW
    assert not CaseTransition.objects.filter(to_state=CaseState.DECEASED).exists()


def test_a_date_of_death_in_the_future_is_refused_naming_the_field(people):
    person = awaiting_interview(people)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(DomainError, match="date of death is in the future") as error:
        death(people, person, occurred_on=tomorrow)
    assert error.value.field == "occurred_on"
    assert state_of(person) == CaseState.AWAITING_INTERVIEW


def test_a_date_before_his_capture_is_refused(people):
    captured = timezone.localdate() - datetime.timedelta(days=30)
    person = register(people.registrar, capture_date=captured)
    with pytest.raises(DomainError, match="before he was captured") as error:
        death(people, person, occurred_on=captured - datetime.timedelta(days=1))
    assert error.value.field == "occurred_on"
    death(people, person, occurred_on=captured)  # the day of his capture is possible
    assert state_of(person) == CaseState.DECEASED


def test_without_a_capture_date_a_date_before_his_registration_is_refused(people):
    person = register(people.registrar)
    with pytest.raises(DomainError, match="before he was captured or registered"):
        death(people, person, occurred_on=timezone.localdate() - datetime.timedelta(days=1))


def test_release_asks_for_its_date_place_and_circumstances(people):
    person = awaiting_interview(people)
    with pytest.raises(DomainError) as error:
        services.case_transition(
            actor=people.registrar, person=person, target=CaseState.RELEASED, reason="Freed.",
            occurred_on=timezone.localdate(), place="Camp gate", confirmed=True,
        )  # fmt: skip
    assert error.value.field == "circumstances"
    services.case_transition(
        actor=people.registrar, person=person, target=CaseState.RELEASED, reason="Freed.",
        occurred_on=timezone.localdate(), place="Camp gate", confirmed=True,
        circumstances="A status review found him a civilian (Art. 4).",
    )  # fmt: skip
    assert state_of(person) == CaseState.RELEASED


def test_an_escape_does_not_take_a_cause_of_death(people):
    person = awaiting_interview(people)
    with pytest.raises(DomainError, match="does not record the cause of death") as error:
        services.case_transition(
            actor=people.registrar, person=person, target=CaseState.ESCAPED, reason="Gone.",
            occurred_on=timezone.localdate(), place="Fence", circumstances="Roll call.",
            cause="Wounds", confirmed=True,
        )  # fmt: skip
    assert error.value.field == "cause"


def test_the_closure_asks_for_a_confirmation_and_its_reason(people):
    person = awaiting_interview(people)
    step(people.registrar, person, CaseState.ESCAPED)
    with pytest.raises(DomainError, match="cannot be undone"):
        services.case_transition(
            actor=people.registrar, person=person, target=CaseState.CLOSED, reason="Archived."
        )
    services.case_transition(
        actor=people.registrar, person=person, target=CaseState.CLOSED, reason="Archived.",
        confirmed=True,
    )  # fmt: skip
    assert state_of(person) == CaseState.CLOSED


def test_an_ordinary_step_asks_for_no_confirmation(people):
    person = register(people.registrar)
    services.case_transition(
        actor=people.registrar, person=person, target=CaseState.NOTIFIED, reason="Notified."
    )
    assert state_of(person) == CaseState.NOTIFIED


def test_who_may_not_record_a_death_is_refused_before_being_asked_to_confirm(people):
    person = awaiting_interview(people)
    with pytest.raises((PermissionDenied, DomainError)) as error:
        services.case_transition(
            actor=people.interviewer, person=person, target=CaseState.DECEASED, reason="x",
            occurred_on=timezone.localdate(), place="Camp", cause="Wounds", certified_by="Dr",
        )  # fmt: skip
    assert getattr(error.value, "field", None) != "confirm"
    assert state_of(person) == CaseState.AWAITING_INTERVIEW
