import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from safepassage.cases import services
from safepassage.cases.guard import NonRefoulementViolation
from safepassage.cases.models import (
    CaseState,
    Transfer,
    TransferKind,
    TransferStatus,
    WillExpression,
)
from safepassage.lib.errors import DomainError
from tests.cases.builders import (
    accepted,
    decided,
    governing_will,
    in_legal_assessment,
    repatriation_decided,
    scheduled,
    state_of,
    yesterday,
)
from tests.factories import assess, tomorrow


def schedule(actor, person, destination="KR", transit=(), when=None):
    return services.transfer_schedule(
        actor=actor, person=person, destination=destination, transit=list(transit),
        scheduled_for=when or tomorrow(),
    )  # fmt: skip


def test_it_schedules_the_accepted_transfer(people):
    person = accepted(people, "KR")
    assess(people.legal_officer, person, "PL")
    transfer = schedule(people.planner, person, "kr", transit=["pl"])
    assert (transfer.kind, transfer.destination.code, transfer.transit_codes) == (
        TransferKind.TRANSFER, "KR", ["PL"],
    )  # fmt: skip
    assert transfer.status == TransferStatus.SCHEDULED
    assert transfer.decision == person.decisions.get()
    assert transfer.scheduled_by == people.planner
    assert state_of(person) == CaseState.TRANSFER_SCHEDULED


def test_it_accepts_today(people):
    person = accepted(people, "KR")
    transfer = schedule(people.planner, person, when=timezone.localdate())
    assert transfer.scheduled_for == timezone.localdate()


def test_it_refuses_a_date_in_the_past(people):
    person = accepted(people, "KR")
    with pytest.raises(DomainError, match="past"):
        schedule(people.planner, person, when=yesterday())
    assert not Transfer.objects.filter(person=person).exists()


def test_a_transfer_to_another_state_needs_acceptance_first(people):
    person = decided(people, "KR")
    with pytest.raises(DomainError, match="acceptance"):
        schedule(people.planner, person)
    assert state_of(person) == CaseState.DECIDED
    assert not Transfer.objects.filter(person=person).exists()


def test_a_repatriation_is_scheduled_without_acceptance(people):
    person = repatriation_decided(people)
    transfer = schedule(people.planner, person, "KP")
    assert transfer.kind == TransferKind.REPATRIATION
    assert state_of(person) == CaseState.TRANSFER_SCHEDULED


def test_it_requires_a_decision(people):
    person = in_legal_assessment(people)
    assess(people.legal_officer, person, "KR")
    with pytest.raises(DomainError, match="after a decision"):
        schedule(people.planner, person)


def test_the_destination_must_match_the_decision(people):
    person = accepted(people, "KR")
    assess(people.legal_officer, person, "BR")
    with pytest.raises(DomainError, match="decision names KR"):
        schedule(people.planner, person, "BR")
    assert state_of(person) == CaseState.ACCEPTED


def test_the_destination_is_not_also_a_transit_state(people):
    person = accepted(people, "KR")
    with pytest.raises(DomainError, match="transit"):
        schedule(people.planner, person, "KR", transit=["KR"])


def test_it_refuses_a_transit_state_the_person_refused(people):
    person = accepted(people, "KR")
    with pytest.raises(NonRefoulementViolation, match="Transit state KP"):
        schedule(people.planner, person, "KR", transit=["PL", "KP"])
    assert state_of(person) == CaseState.ACCEPTED
    assert not Transfer.objects.filter(person=person).exists()


def test_it_refuses_a_transit_state_assessed_high_risk(people):
    person = accepted(people, "KR")
    assess(people.legal_officer, person, "RU", persecution="high")
    with pytest.raises(NonRefoulementViolation, match="RU"):
        schedule(people.planner, person, "KR", transit=["RU"])


def test_it_refuses_a_transit_state_with_a_high_onward_risk(people):
    person = accepted(people, "KR")
    assess(people.legal_officer, person, "CN", onward="high")
    with pytest.raises(NonRefoulementViolation) as refusal:
        schedule(people.planner, person, "KR", transit=["CN"])
    assert [(v.rule, v.country, v.as_transit) for v in refusal.value.violations] == [
        ("onward_risk", "CN", True)
    ]


def test_it_refuses_a_destination_that_became_refused_by_a_raw_write(people):
    """The service reads the will itself; a stale GuardBlock table does not fool it."""
    person = accepted(people, "KR")
    will = governing_will(person)
    WillExpression.objects.filter(pk=will.pk).update(destinations_refused="KP,KR")
    with pytest.raises(NonRefoulementViolation, match="blocked for him") as refusal:
        schedule(people.planner, person, "KR")
    # The planner may not read the will: the refusal is there, the state is not named to him.
    assert [(v.rule, v.country) for v in refusal.value.violations] == [("refused", "KR")]
    assert "KR" not in str(refusal.value)


def test_only_one_transfer_is_scheduled_at_a_time(people):
    person, _transfer = scheduled(people, "KR")
    with pytest.raises(DomainError):
        schedule(people.planner, person, "KR")
    assert Transfer.objects.filter(person=person).count() == 1


@pytest.mark.parametrize("who", ["registrar", "decision_maker", "interviewer", "receiving_officer"])
def test_only_an_exchange_planner_of_the_detaining_power_schedules(people, who):
    person = accepted(people, "KR")
    with pytest.raises(PermissionDenied):
        schedule(getattr(people, who), person)


def test_the_outsider_may_not_schedule(people):
    person = accepted(people, "KR")
    with pytest.raises(PermissionDenied):
        schedule(people.outsider, person)
    assert not Transfer.objects.filter(person=person).exists()


def test_a_cancelled_transfer_returns_the_case_to_the_acceptance(people):
    person, transfer = scheduled(people, "KR")
    services.transfer_cancel(actor=people.planner, transfer=transfer, reason="Flight cancelled.")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED
    assert transfer.cancelled_reason == "Flight cancelled."
    assert state_of(person) == CaseState.ACCEPTED
    again = schedule(people.planner, person, "KR")
    assert again.status == TransferStatus.SCHEDULED


def test_a_cancelled_repatriation_returns_the_case_to_the_decision(people):
    person = repatriation_decided(people)
    transfer = schedule(people.planner, person, "KP")
    services.transfer_cancel(actor=people.planner, transfer=transfer, reason="Postponed.")
    assert state_of(person) == CaseState.DECIDED


def test_a_cancellation_needs_a_reason_and_a_scheduled_transfer(people):
    person, transfer = scheduled(people, "KR")
    with pytest.raises(DomainError, match="reason"):
        services.transfer_cancel(actor=people.planner, transfer=transfer, reason=" ")
    services.transfer_cancel(actor=people.planner, transfer=transfer, reason="Postponed.")
    with pytest.raises(DomainError, match="Only a scheduled"):
        services.transfer_cancel(actor=people.planner, transfer=transfer, reason="Again.")


def test_the_outsider_may_not_cancel(people):
    person, transfer = scheduled(people, "KR")
    with pytest.raises(PermissionDenied):
        services.transfer_cancel(actor=people.outsider, transfer=transfer, reason="Sabotage.")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.SCHEDULED
