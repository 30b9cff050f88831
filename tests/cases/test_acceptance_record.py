import pytest
from django.core.exceptions import PermissionDenied

from safepassage.accounts.models import OrganisationKind, Role
from safepassage.cases import services
from safepassage.cases.models import Acceptance, CaseState, DecisionKind
from safepassage.lib.errors import DomainError, NotAllowed
from tests.cases.builders import decided, in_legal_assessment, repatriation_decided, state_of
from tests.factories import assess, make_org, make_user


def accept(actor, person):
    return services.acceptance_record(actor=actor, person=person, reference=" RK-2025-1 ")


def test_the_named_receiving_state_accepts(people):
    person = decided(people, "KR")
    acceptance = accept(people.receiving_officer, person)
    assert acceptance.organisation == people.receiving_officer.organisation
    assert acceptance.accepted_by == people.receiving_officer
    assert acceptance.reference == "RK-2025-1"
    assert acceptance.decision == person.decisions.get()
    assert state_of(person) == CaseState.ACCEPTED


def test_another_receiving_state_may_not_accept(people):
    person = in_legal_assessment(people, preferred=("KR", "BR"))
    assess(people.legal_officer, person, "KR")
    services.decision_take(
        actor=people.decision_maker, person=person, kind=DecisionKind.TRANSFER,
        destination="KR", reason="He prefers Korea first.",
    )  # fmt: skip
    with pytest.raises(NotAllowed, match="named in the decision"):
        accept(people.other_receiving_officer, person)
    assert not Acceptance.objects.exists()
    assert state_of(person) == CaseState.DECIDED


def test_a_receiving_state_the_will_does_not_name_cannot_even_see_him(people):
    person = decided(people, "KR")
    with pytest.raises(PermissionDenied):
        accept(people.other_receiving_officer, person)


def test_it_requires_a_decision(people):
    person = in_legal_assessment(people)
    with pytest.raises(DomainError, match="no decision"):
        accept(people.receiving_officer, person)


def test_it_is_recorded_once(people):
    person = decided(people, "KR")
    accept(people.receiving_officer, person)
    with pytest.raises(DomainError, match="no decision"):
        accept(people.receiving_officer, person)
    assert Acceptance.objects.count() == 1


def test_a_repatriation_is_not_accepted_by_a_receiving_state(people):
    person = repatriation_decided(people)
    home = make_org("Home Office", OrganisationKind.RECEIVING_STATE, "KP")
    with pytest.raises(DomainError, match="Only a transfer"):
        accept(make_user(home, Role.DECISION_MAKER), person)
    assert state_of(person) == CaseState.DECIDED


@pytest.mark.parametrize("who", ["decision_maker", "planner", "interviewer", "legal_officer"])
def test_only_a_receiving_state_accepts(people, who):
    person = decided(people, "KR")
    with pytest.raises(PermissionDenied):
        accept(getattr(people, who), person)


def test_the_outsider_may_not_accept(people):
    person = decided(people, "KR")
    with pytest.raises(PermissionDenied):
        accept(people.outsider, person)
    assert state_of(person) == CaseState.DECIDED
