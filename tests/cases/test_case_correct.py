"""A death, release, escape or closure recorded in error is taken back by a recorded correction,
never edited; an executed transfer is never taken back."""

import pytest
from django.core.exceptions import PermissionDenied

from safepassage.audit.models import AuditEvent
from safepassage.cases import services
from safepassage.cases.models import CaseState, GuardClearance, StepFacts, TransferStatus
from safepassage.lib.errors import DomainError
from tests.cases.builders import accepted, awaiting_interview, scheduled, state_of
from tests.factories import audited_changes, handover, step


def correct(people, person, reason="The death was another man's: wrong registry number."):
    return services.case_correct(actor=people.registrar, person=person, reason=reason)


def test_a_death_recorded_in_error_returns_the_case_to_the_state_before_it(people):
    person = awaiting_interview(people)
    step(people.registrar, person, CaseState.DECEASED)
    row = correct(people, person)
    assert state_of(person) == CaseState.AWAITING_INTERVIEW
    assert (row.from_state, row.to_state) == (CaseState.DECEASED, CaseState.AWAITING_INTERVIEW)


def test_the_correction_is_recorded_beside_the_wrong_step_which_stays(people):
    person = awaiting_interview(people)
    step(people.registrar, person, CaseState.DECEASED)
    wrong = person.case.transitions.get(to_state=CaseState.DECEASED)
    row = correct(people, person)
    assert row.actor == people.registrar
    assert "wrong registry number" in row.reason
    assert row.facts.corrects == wrong
    wrong.refresh_from_db()
    assert wrong.to_state == CaseState.DECEASED  # nothing edited
    assert StepFacts.objects.get(transition=wrong).cause == "Wounds"


def test_the_correction_is_audited(people):
    person = awaiting_interview(people)
    step(people.registrar, person, CaseState.DECEASED)
    wrong = person.case.transitions.get(to_state=CaseState.DECEASED)
    correct(people, person)
    event = AuditEvent.objects.get(action="case.correct", person=person)
    assert event.actor == people.registrar
    assert audited_changes(event)["corrects"] == [None, wrong.pk]
    assert audited_changes(event)["state"] == [CaseState.DECEASED, CaseState.AWAITING_INTERVIEW]


def test_a_correction_needs_a_reason(people):
    person = awaiting_interview(people)
    step(people.registrar, person, CaseState.DECEASED)
    with pytest.raises(DomainError) as error:
        correct(people, person, reason="  ")
    assert error.value.field == "reason"
    assert state_of(person) == CaseState.DECEASED


def test_only_the_registrars_who_record_the_end_of_captivity_correct_it(people):
    person = awaiting_interview(people)
    step(people.registrar, person, CaseState.DECEASED)
    with pytest.raises(PermissionDenied):
        services.case_correct(actor=people.decision_maker, person=person, reason="Wrong.")
    assert state_of(person) == CaseState.DECEASED


def test_an_ordinary_state_has_nothing_to_correct(people):
    person = awaiting_interview(people)
    with pytest.raises(DomainError, match="Only a death, release, escape or closure"):
        correct(people, person)


def test_an_executed_transfer_cannot_be_corrected(people):
    person, transfer = scheduled(people, "KR")
    services.transfer_execute(actor=people.planner, transfer=transfer, **handover(transfer))
    with pytest.raises(DomainError, match="an executed transfer moved him"):
        correct(people, person)
    assert state_of(person) == CaseState.TRANSFERRED


def test_a_closure_after_a_transfer_is_corrected_back_to_transferred_not_further(people):
    person, transfer = scheduled(people, "KR")
    services.transfer_execute(actor=people.planner, transfer=transfer, **handover(transfer))
    step(people.registrar, person, CaseState.CLOSED)
    correct(people, person, reason="Closed before the arrival report came.")
    assert state_of(person) == CaseState.TRANSFERRED
    with pytest.raises(DomainError, match="an executed transfer moved him"):
        correct(people, person)


def test_a_death_that_called_off_his_transfer_is_corrected_to_the_acceptance(people):
    person, transfer = scheduled(people, "KR")
    step(people.registrar, person, CaseState.DECEASED)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED
    correct(people, person)
    # No transfer is live: the case waits for a new one rather than claiming one is scheduled.
    assert state_of(person) == CaseState.ACCEPTED


def test_a_corrected_death_gives_him_his_cleared_routes_back(people):
    person = accepted(people, "KR")
    before = set(GuardClearance.objects.filter(person=person).values_list("country", "role"))
    step(people.registrar, person, CaseState.DECEASED)
    assert not GuardClearance.objects.filter(person=person).exists()
    correct(people, person)
    after = set(GuardClearance.objects.filter(person=person).values_list("country", "role"))
    assert after == before and before
