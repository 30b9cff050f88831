import pytest
from django.core.exceptions import PermissionDenied

from safepassage.cases import services
from safepassage.cases.guard import NonRefoulementViolation
from safepassage.cases.models import CaseState, Decision, DecisionKind
from safepassage.lib.errors import DomainError, NotAllowed
from tests.cases.builders import awaiting_interview, in_legal_assessment, state_of
from tests.factories import assess, record_will


def decide(actor, person, destination="KR", kind=DecisionKind.TRANSFER, reason="Verified; safe."):
    return services.decision_take(
        actor=actor, person=person, kind=kind, destination=destination, reason=reason
    )


def test_it_records_the_decision_and_moves_the_case(people):
    person = in_legal_assessment(people)
    assess(people.legal_officer, person, "KR")
    decision = decide(people.decision_maker, person, "kr")
    assert decision.destination.code == "KR"
    assert decision.decided_by == people.decision_maker
    assert decision.organisation == people.decision_maker.organisation
    assert state_of(person) == CaseState.DECIDED


def test_it_requires_an_assessment_of_the_destination(people):
    person = in_legal_assessment(people)
    with pytest.raises(DomainError, match="not been assessed"):
        decide(people.decision_maker, person, "KR")
    assert not Decision.objects.filter(person=person).exists()


def test_it_refuses_a_destination_the_person_refused(people):
    person = in_legal_assessment(people, preferred=("KR",), refused=("RU",))
    assess(people.legal_officer, person, "RU")
    with pytest.raises(NonRefoulementViolation, match="RU"):
        decide(people.decision_maker, person, "RU")
    assert state_of(person) == CaseState.LEGAL_ASSESSMENT


def test_it_refuses_a_destination_assessed_high_risk(people):
    person = in_legal_assessment(people)
    assess(people.legal_officer, person, "KR", persecution="high")
    with pytest.raises(NonRefoulementViolation):
        decide(people.decision_maker, person, "KR")


def test_it_refuses_a_repatriation_the_verified_will_refuses(people):
    person = in_legal_assessment(people)
    assess(people.legal_officer, person, "KP")
    with pytest.raises(NonRefoulementViolation, match="KP"):
        decide(people.decision_maker, person, "KP", kind=DecisionKind.REPATRIATION)


def test_it_refuses_a_repatriation_to_a_state_not_his_origin(people):
    person = in_legal_assessment(people)
    assess(people.legal_officer, person, "KR")
    with pytest.raises(NonRefoulementViolation, match="not a state of his nationality") as refusal:
        decide(people.decision_maker, person, "KR", kind=DecisionKind.REPATRIATION)
    assert [v.rule for v in refusal.value.violations] == ["not_origin"]


def test_it_refuses_a_transfer_to_his_country_of_origin(people):
    person = in_legal_assessment(people)
    assess(people.legal_officer, person, "KP")
    with pytest.raises(DomainError, match="repatriation"):
        decide(people.decision_maker, person, "KP", kind=DecisionKind.TRANSFER)


def test_it_refuses_an_unknown_kind_and_a_missing_destination(people):
    person = in_legal_assessment(people)
    with pytest.raises(DomainError):
        decide(people.decision_maker, person, "KR", kind="deportation")
    with pytest.raises(DomainError):
        decide(people.decision_maker, person, "")


def test_it_requires_a_reason(people):
    person = in_legal_assessment(people)
    assess(people.legal_officer, person, "KR")
    with pytest.raises(DomainError, match="reason"):
        decide(people.decision_maker, person, "KR", reason="  ")
    assert not Decision.objects.filter(person=person).exists()


def test_it_requires_the_legal_assessment_to_be_open(people):
    person = awaiting_interview(people)
    record_will(people.interviewer, person)
    assess(people.legal_officer, person, "KR")
    with pytest.raises(DomainError, match="cannot move"):
        decide(people.decision_maker, person, "KR")
    assert not Decision.objects.filter(person=person).exists()


def test_it_is_not_taken_twice_without_reopening(people):
    person = in_legal_assessment(people)
    assess(people.legal_officer, person, "KR")
    decide(people.decision_maker, person, "KR")
    with pytest.raises(DomainError):
        decide(people.decision_maker, person, "KR")


@pytest.mark.parametrize("who", ["registrar", "planner", "interviewer", "legal_officer",
                                 "receiving_officer"])  # fmt: skip
def test_only_a_decision_maker_of_the_detaining_power_decides(people, who):
    person = in_legal_assessment(people)
    assess(people.legal_officer, person, "KR")
    with pytest.raises(PermissionDenied):
        decide(getattr(people, who), person, "KR")


def test_the_outsider_may_not_decide(people):
    person = in_legal_assessment(people)
    assess(people.legal_officer, person, "KR")
    with pytest.raises(PermissionDenied):
        decide(people.outsider, person, "KR")
    assert not Decision.objects.filter(person=person).exists()


def test_a_receiving_state_decision_maker_may_not_decide_even_when_it_sees_him(people):
    person = in_legal_assessment(people)
    assess(people.legal_officer, person, "KR")
    with pytest.raises((PermissionDenied, NotAllowed)):
        decide(people.receiving_officer, person, "KR")
