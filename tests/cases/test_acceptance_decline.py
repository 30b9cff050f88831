"""The receiving state named in the decision may decline him: the case returns to decision."""

import pytest
from django.core.exceptions import PermissionDenied

from safepassage.audit.models import AuditEvent
from safepassage.cases import services
from safepassage.cases.models import CaseState, DecisionKind, Declination
from safepassage.lib.errors import DomainError, NotAllowed
from tests.cases.builders import accepted, decided, in_legal_assessment, state_of
from tests.factories import assess, audited_changes


def decline(actor, person, reason="No capacity in the reception programme this year."):
    return services.acceptance_decline(actor=actor, person=person, reason=reason)


def test_the_named_receiving_state_declines_and_the_case_returns_to_decision(people):
    person = decided(people, "KR")
    declination = decline(people.receiving_officer, person)
    assert declination.decision == person.decisions.get()
    assert declination.declined_by == people.receiving_officer
    assert state_of(person) == CaseState.LEGAL_ASSESSMENT
    last = person.case.transitions.order_by("-id").first()
    assert "No capacity" in last.reason and last.actor == people.receiving_officer


def test_the_decline_is_audited(people):
    person = decided(people, "KR")
    declination = decline(people.receiving_officer, person)
    event = AuditEvent.objects.get(action="acceptance.decline", person=person)
    assert event.object_id == str(declination.pk)
    reason = audited_changes(event)["reason"]
    assert reason == [None, "No capacity in the reception programme this year."]


def test_a_decline_needs_its_reason(people):
    person = decided(people, "KR")
    with pytest.raises(DomainError) as error:
        decline(people.receiving_officer, person, reason=" ")
    assert error.value.field == "reason"
    assert state_of(person) == CaseState.DECIDED


def test_another_receiving_state_may_not_decline(people):
    person = in_legal_assessment(people, preferred=("KR", "BR"))
    assess(people.legal_officer, person, "KR")
    services.decision_take(
        actor=people.decision_maker, person=person, kind=DecisionKind.TRANSFER,
        destination="KR", reason="He prefers Korea first.",
    )  # fmt: skip
    with pytest.raises(NotAllowed, match="named in the decision"):
        decline(people.other_receiving_officer, person)
    assert not Declination.objects.exists()


def test_the_detaining_power_cannot_decline_for_the_receiving_state(people):
    person = decided(people, "KR")
    with pytest.raises(PermissionDenied):
        decline(people.decision_maker, person)


def test_an_accepted_case_is_not_declined_afterwards(people):
    person = accepted(people, "KR")
    with pytest.raises(DomainError, match="no decision awaiting acceptance"):
        decline(people.receiving_officer, person)


def test_after_a_decline_a_new_decision_can_be_taken_and_accepted(people):
    person = in_legal_assessment(people, preferred=("KR", "BR"))
    assess(people.legal_officer, person, "KR")
    assess(people.legal_officer, person, "BR")
    services.decision_take(
        actor=people.decision_maker, person=person, kind=DecisionKind.TRANSFER,
        destination="KR", reason="His first choice.",
    )  # fmt: skip
    decline(people.receiving_officer, person)
    services.decision_take(
        actor=people.decision_maker, person=person, kind=DecisionKind.TRANSFER,
        destination="BR", reason="His second choice, after Korea declined.",
    )  # fmt: skip
    services.acceptance_record(actor=people.other_receiving_officer, person=person)
    assert state_of(person) == CaseState.ACCEPTED
