import pytest
from django.core.exceptions import PermissionDenied

from safepassage.cases import services
from safepassage.cases.guard import guard_check
from safepassage.cases.models import CaseState, RiskAssessment, TransferStatus
from safepassage.lib.errors import DomainError
from tests.cases.builders import (
    accepted,
    blocks_of,
    decided,
    in_legal_assessment,
    repatriation_decided,
    scheduled,
    state_of,
)
from tests.factories import assess, register, tomorrow


def blocks(person) -> set[tuple[str, str]]:
    return blocks_of(person)


def test_it_records_an_assessment_of_one_state(people):
    person = in_legal_assessment(people)
    assessment = services.risk_assessment_record(
        actor=people.legal_officer, person=person, country="cn", persecution_risk="low",
        onward_transfer_risk="high", onward_destinations=["kp"], basis="UN reports on returns.",
    )  # fmt: skip
    assert assessment.country.code == "CN"
    assert [c.code for c in assessment.onward_destinations] == ["KP"]
    assert assessment.assessed_by == people.legal_officer
    assert assessment.organisation == people.legal_officer.organisation
    assert ("CN", "onward_risk") in blocks(person)


def test_the_latest_assessment_of_a_state_governs(people):
    person = in_legal_assessment(people)
    assess(people.legal_officer, person, "RU", persecution="high")
    assert guard_check(person=person, destination="RU")[0].rule == "high_risk"
    lower = assess(people.legal_officer, person, "RU", persecution="low")
    # Four eyes: the NGO's lowering waits for the neutral verifier's concurrence.
    assert lower.awaits_concurrence
    assert guard_check(person=person, destination="RU")[0].rule == "high_risk"
    services.risk_assessment_concur(
        actor=people.verifier_legal, assessment=lower, reason="Read the basis; agreed."
    )
    assert guard_check(person=person, destination="RU") == []
    assert ("RU", "high_risk") not in blocks(person)
    assess(people.legal_officer, person, "RU", persecution="high")
    assert ("RU", "high_risk") in blocks(person)
    assert RiskAssessment.objects.filter(person=person, country="RU").count() == 3


def test_an_assessment_of_another_state_leaves_the_first_alone(people):
    person = in_legal_assessment(people)
    assess(people.legal_officer, person, "RU", persecution="high")
    assess(people.legal_officer, person, "PL", persecution="low")
    assert ("RU", "high_risk") in blocks(person)


def test_it_requires_a_basis(people):
    person = in_legal_assessment(people)
    with pytest.raises(DomainError, match="basis"):
        services.risk_assessment_record(
            actor=people.legal_officer, person=person, country="KR", persecution_risk="low",
            onward_transfer_risk="low", basis="   ",
        )  # fmt: skip
    assert not RiskAssessment.objects.filter(person=person).exists()


def test_it_refuses_an_unknown_risk_level(people):
    person = in_legal_assessment(people)
    with pytest.raises(DomainError, match="risk level"):
        services.risk_assessment_record(
            actor=people.legal_officer, person=person, country="KR", persecution_risk="severe",
            onward_transfer_risk="low", basis="Reports.",
        )  # fmt: skip


def test_it_requires_the_state_assessed(people):
    person = in_legal_assessment(people)
    with pytest.raises(DomainError, match="state assessed"):
        services.risk_assessment_record(
            actor=people.legal_officer, person=person, country="", persecution_risk="low",
            onward_transfer_risk="low", basis="Reports.",
        )  # fmt: skip


def test_the_verifier_legal_officer_may_assess_any_person(people):
    person = register(people.registrar)
    assess(people.verifier_legal, person, "KR")
    assert RiskAssessment.objects.filter(person=person).count() == 1


def test_a_legal_ngo_assesses_only_the_cases_it_represents(people):
    person = register(people.registrar)
    with pytest.raises(PermissionDenied):
        assess(people.legal_officer, person, "KR")


@pytest.mark.parametrize("who", ["outsider", "decision_maker", "interviewer", "receiving_officer"])
def test_others_may_not_assess(people, who):
    person = in_legal_assessment(people)
    with pytest.raises(PermissionDenied):
        assess(getattr(people, who), person, "KR")


def test_a_high_risk_for_the_decided_destination_cancels_the_transfer_and_reopens_the_assessment(
    people,
):
    person, transfer = scheduled(people, "KR", transit=["PL"])
    assess(people.legal_officer, person, "KR", persecution="high")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED
    assert transfer.cancelled_reason
    assert state_of(person) == CaseState.LEGAL_ASSESSMENT
    assert ("KR", "high_risk") in blocks(person)


def test_a_high_onward_risk_of_the_decided_destination_reopens_the_assessment(people):
    person = accepted(people, "KR")
    assess(people.legal_officer, person, "KR", onward="high")
    assert state_of(person) == CaseState.LEGAL_ASSESSMENT


def test_a_high_risk_for_the_decided_destination_reopens_a_decided_case(people):
    person = decided(people, "KR")
    assess(people.legal_officer, person, "KR", persecution="high")
    assert state_of(person) == CaseState.LEGAL_ASSESSMENT


def test_a_high_onward_risk_of_a_transit_state_cancels_only_the_transfer(people):
    person, transfer = scheduled(people, "KR", transit=["CN"])
    assess(people.legal_officer, person, "CN", onward="high")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED
    assert state_of(person) == CaseState.ACCEPTED
    assert ("CN", "onward_risk") in blocks(person)


def test_a_blocked_transit_of_a_repatriation_returns_the_case_to_the_decision(people):
    person = repatriation_decided(people)
    assess(people.legal_officer, person, "CN")
    transfer = services.transfer_schedule(
        actor=people.planner, person=person, destination="KP", transit=["CN"],
        scheduled_for=tomorrow(),
    )  # fmt: skip
    assess(people.legal_officer, person, "CN", persecution="high")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED
    assert state_of(person) == CaseState.DECIDED


def test_an_assessment_off_the_route_leaves_the_transfer_scheduled(people):
    person, transfer = scheduled(people, "KR", transit=["PL"])
    assess(people.legal_officer, person, "RU", persecution="high", onward="high")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.SCHEDULED
    assert state_of(person) == CaseState.TRANSFER_SCHEDULED
    assert {("RU", "high_risk"), ("RU", "onward_risk")} <= blocks(person)


def test_a_low_risk_reassessment_of_the_route_leaves_the_transfer_scheduled(people):
    person, transfer = scheduled(people, "KR", transit=["PL"])
    assess(people.legal_officer, person, "PL", persecution="low", onward="none")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.SCHEDULED
