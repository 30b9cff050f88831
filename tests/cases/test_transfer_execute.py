import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from safepassage.cases import services
from safepassage.cases.guard import NonRefoulementViolation
from safepassage.cases.models import (
    Case,
    CaseState,
    GuardClearance,
    RiskAssessment,
    Transfer,
    TransferStatus,
    WillExpression,
)
from safepassage.lib.errors import DomainError
from tests.cases.builders import governing_will, repatriation_decided, scheduled, state_of
from tests.factories import tomorrow


def execute(actor, transfer):
    return services.transfer_execute(actor=actor, transfer=transfer)


def test_it_records_the_transfer_as_executed(people):
    person, transfer = scheduled(people, "KR", transit=["PL"])
    executed = execute(people.planner, transfer)
    assert executed.status == TransferStatus.EXECUTED
    assert executed.executed_by == people.planner
    assert executed.executed_at is not None
    assert state_of(person) == CaseState.TRANSFERRED


def test_it_executes_a_repatriation(people):
    person = repatriation_decided(people)
    transfer = services.transfer_schedule(
        actor=people.planner, person=person, destination="KP", scheduled_for=tomorrow()
    )
    execute(people.planner, transfer)
    assert state_of(person) == CaseState.TRANSFERRED


def test_it_executes_only_a_scheduled_transfer(people):
    person, transfer = scheduled(people, "KR")
    services.transfer_cancel(actor=people.planner, transfer=transfer, reason="Postponed.")
    with pytest.raises(DomainError, match="cancelled"):
        execute(people.planner, transfer)
    assert state_of(person) == CaseState.ACCEPTED


def test_it_is_executed_once(people):
    _person, transfer = scheduled(people, "KR")
    execute(people.planner, transfer)
    with pytest.raises(DomainError, match="executed"):
        execute(people.planner, transfer)


def test_it_checks_the_guard_again_at_execution(people):
    """An assessment written behind the services' back (no guard refresh) is still seen."""
    person, transfer = scheduled(people, "KR", transit=["PL"])
    RiskAssessment.objects.create(
        person=person, country="PL", persecution_risk="high", onward_transfer_risk="low",
        basis="Raw write.", assessed_by=people.verifier_legal,
        organisation=people.verifier_legal.organisation,
    )  # fmt: skip
    with pytest.raises(NonRefoulementViolation, match="Transit state PL"):
        execute(people.planner, transfer)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.SCHEDULED
    assert state_of(person) == CaseState.TRANSFER_SCHEDULED


def test_it_checks_the_will_again_at_execution(people):
    person, transfer = scheduled(people, "KR")
    will = governing_will(person)
    WillExpression.objects.filter(pk=will.pk).update(wish="undecided")
    with pytest.raises(NonRefoulementViolation, match="undecided"):
        execute(people.planner, transfer)


def test_the_database_refuses_to_delete_a_clearance_a_scheduled_transfer_relies_on(people):
    person, transfer = scheduled(people, "KR", transit=["PL"])
    with pytest.raises(IntegrityError, match="non-refoulement"), transaction.atomic():
        GuardClearance.objects.filter(person=person, country="PL", role="transit").delete()
    assert GuardClearance.objects.filter(person=person, country="PL", role="transit").exists()
    execute(people.planner, transfer)


def test_the_database_refuses_execution_when_the_will_was_unset_behind_its_back(
    people, monkeypatch
):
    """The last line: the service guard is bypassed, the will unset in raw SQL; the trigger holds.

    (Moving a block onto the route is itself refused: see test_database_guard.)
    """
    person, transfer = scheduled(people, "KR", transit=["PL"])
    Case.objects.filter(person=person).update(governing_will=None)
    monkeypatch.setattr(services, "guard_ensure", lambda **kwargs: None)
    with pytest.raises(NonRefoulementViolation) as refusal:
        execute(people.planner, transfer)
    assert [v.rule for v in refusal.value.violations] == ["refused_by_database"]
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.SCHEDULED
    assert state_of(person) == CaseState.TRANSFER_SCHEDULED


@pytest.mark.parametrize("who", ["registrar", "decision_maker", "interviewer", "receiving_officer"])
def test_only_an_exchange_planner_of_the_detaining_power_executes(people, who):
    _person, transfer = scheduled(people, "KR")
    with pytest.raises(PermissionDenied):
        execute(getattr(people, who), transfer)


def test_the_outsider_may_not_execute(people):
    person, transfer = scheduled(people, "KR")
    with pytest.raises(PermissionDenied):
        execute(people.outsider, transfer)
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.SCHEDULED
    assert state_of(person) == CaseState.TRANSFER_SCHEDULED
