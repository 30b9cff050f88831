import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from safepassage.audit.models import AuditEvent
from safepassage.cases import services
from safepassage.cases.guard import NonRefoulementViolation
from safepassage.cases.models import (
    Case,
    CaseState,
    GuardClearance,
    Handover,
    RiskAssessment,
    Transfer,
    TransferStatus,
    WillExpression,
)
from safepassage.lib.errors import DomainError
from tests.cases.builders import governing_will, repatriation_decided, scheduled, state_of
from tests.factories import audited_changes, handover, tomorrow


def execute(actor, transfer):
    return services.transfer_execute(actor=actor, transfer=transfer, **handover(transfer))


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


def test_execution_before_the_scheduled_date_is_refused_without_a_reason(people):
    person, transfer = scheduled(people, "KR")  # for tomorrow
    with pytest.raises(DomainError, match="before the scheduled date") as error:
        services.transfer_execute(
            actor=people.planner, transfer=transfer, **handover(transfer, early_reason="")
        )
    assert error.value.field == "early_reason"
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.SCHEDULED
    assert state_of(person) == CaseState.TRANSFER_SCHEDULED


def test_a_handover_date_in_the_future_is_refused_naming_the_field(people):
    _person, transfer = scheduled(people, "KR")
    later = transfer.scheduled_for + datetime.timedelta(days=1)
    with pytest.raises(DomainError, match="date of the handover is in the future") as error:
        services.transfer_execute(
            actor=people.planner, transfer=transfer, **handover(transfer, handed_over_on=later)
        )
    assert error.value.field == "handed_over_on"


def test_execution_is_refused_without_a_confirmation(people):
    _person, transfer = scheduled(people, "KR")
    with pytest.raises(DomainError, match="cannot be undone") as error:
        services.transfer_execute(
            actor=people.planner, transfer=transfer, **handover(transfer, confirmed=False)
        )
    assert error.value.field == "confirm"
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.SCHEDULED


def test_execution_asks_how_he_was_taken(people):
    _person, transfer = scheduled(people, "KR")
    with pytest.raises(DomainError) as error:
        services.transfer_execute(
            actor=people.planner, transfer=transfer, **handover(transfer, transport=" ")
        )
    assert error.value.field == "transport"


def test_the_facts_of_the_handover_are_stored_and_audited(people):
    person, transfer = scheduled(people, "KR")
    execute(people.planner, transfer)
    stored = Handover.objects.get(transfer=transfer)
    assert stored.handed_over_on == timezone.localdate()
    assert stored.transport == "ICRC bus"
    assert stored.early_reason == "Brought forward by the parties."
    event = AuditEvent.objects.get(action="transfer.execute", person=person)
    assert audited_changes(event)["handed_over_on"] == [None, timezone.localdate().isoformat()]
    assert audited_changes(event)["transport"] == [None, "ICRC bus"]
