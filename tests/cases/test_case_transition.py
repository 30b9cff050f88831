import pytest
from django.core.exceptions import PermissionDenied

from safepassage.access import policy
from safepassage.cases import workflow
from safepassage.cases.models import CaseState, CaseTransition, TransferStatus
from safepassage.lib.errors import DomainError, NotAllowed
from safepassage.workflow.models import Trigger
from tests.cases.builders import awaiting_interview, decided, scheduled, state_of
from tests.factories import register, step


def test_it_takes_a_plain_step_and_records_it(people):
    person = register(people.registrar)
    step(people.registrar, person, CaseState.NOTIFIED, reason="  Sent to the Agency.  ")
    row = CaseTransition.objects.get(case__person=person)
    assert (row.from_state, row.to_state) == (CaseState.REGISTERED, CaseState.NOTIFIED)
    assert row.actor == people.registrar
    assert row.organisation == people.registrar.organisation
    assert row.reason == "Sent to the Agency."


def test_it_requires_a_reason(people):
    person = register(people.registrar)
    with pytest.raises(DomainError, match="reason"):
        step(people.registrar, person, CaseState.NOTIFIED, reason=" ")
    assert state_of(person) == CaseState.REGISTERED


def test_it_refuses_a_step_the_table_does_not_allow(people):
    person = register(people.registrar)
    with pytest.raises(DomainError, match="cannot move"):
        step(people.registrar, person, CaseState.LEGAL_ASSESSMENT)


def test_it_refuses_a_step_taken_through_its_own_form(people):
    person = decided(people, "KR")
    with pytest.raises(DomainError, match="own form"):
        step(people.receiving_officer, person, CaseState.ACCEPTED)


def test_it_refuses_a_role_the_step_does_not_name(people):
    person = register(people.registrar)
    with pytest.raises(NotAllowed):
        step(people.planner, person, CaseState.NOTIFIED)


def test_the_will_is_marked_verified_only_when_a_verified_will_is_on_record(people):
    person = awaiting_interview(people)
    with pytest.raises(DomainError, match="No verified will"):
        step(people.interviewer, person, CaseState.WILL_VERIFIED)


def test_the_outsider_may_not_take_any_step(people):
    person = register(people.registrar)
    for target in (CaseState.NOTIFIED, CaseState.RELEASED, CaseState.DECEASED):
        with pytest.raises(PermissionDenied):
            step(people.outsider, person, target)
    assert state_of(person) == CaseState.REGISTERED


@pytest.mark.parametrize("target", [CaseState.ESCAPED, CaseState.RELEASED, CaseState.DECEASED])
def test_leaving_a_scheduled_transfer_by_a_plain_step_cancels_the_transfer(people, target):
    person, transfer = scheduled(people, "KR")
    step(people.registrar, person, target, reason="Recorded by the camp.")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED
    assert transfer.cancelled_reason.startswith("Recorded by the camp.")
    assert state_of(person) == target


def test_every_transition_a_person_takes_names_its_policy_action():
    for transition in workflow.TRANSITIONS:
        assert transition.sources and str(transition.label)
        if transition.trigger != Trigger.SYSTEM:
            assert transition.action in policy._RULES
