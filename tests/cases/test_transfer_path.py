import pytest

from safepassage.cases import services
from safepassage.cases.guard import NonRefoulementViolation
from safepassage.cases.models import CaseState, Transfer
from tests.factories import assess, drive_to_decision, handover, register, tomorrow


def test_a_person_goes_from_registration_to_transfer(people):
    person = register(people.registrar)
    drive_to_decision(people, person, "KR")
    services.acceptance_record(actor=people.receiving_officer, person=person, reference="RK-1")
    assess(people.legal_officer, person, "PL")
    transfer = services.transfer_schedule(
        actor=people.planner,
        person=person,
        destination="KR",
        transit=["PL"],
        scheduled_for=tomorrow(),
    )
    services.transfer_execute(actor=people.planner, transfer=transfer, **handover(transfer))
    person.case.refresh_from_db()
    assert person.case.state == CaseState.TRANSFERRED
    assert [t.to_state for t in person.case.transitions.all()] == [
        "notified",
        "awaiting_interview",
        "will_verified",
        "legal_assessment",
        "decided",
        "accepted",
        "transfer_scheduled",
        "transferred",
    ]


def test_it_refuses_a_repatriation_the_verified_will_refuses(people):
    person = register(people.registrar)
    drive_to_decision(people, person, "KR")
    services.acceptance_record(actor=people.receiving_officer, person=person)
    with pytest.raises(NonRefoulementViolation) as refusal:
        services.transfer_schedule(
            actor=people.planner,
            person=person,
            destination="KR",
            transit=["KP"],
            scheduled_for=tomorrow(),
        )
    assert "KP" in str(refusal.value)
    assert not Transfer.objects.filter(person=person).exists()
