"""The receiving state records his arrival and its own steps after it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from safepassage.followup import services
from safepassage.followup.models import DEFAULT_STEPS
from safepassage.lib.errors import DomainError
from tests.factories import register

pytestmark = pytest.mark.django_db


def test_the_receiving_state_records_his_arrival_with_the_default_steps(people, moved):
    reception = services.reception_record(
        actor=people.receiving_officer, person=moved, arrived_on=timezone.localdate()
    )
    assert [s.label for s in reception.steps.all()] == list(DEFAULT_STEPS)


def test_a_state_lays_out_its_own_steps(people, moved):
    services.reception_steps_configure(
        actor=people.receiving_officer, labels=["Protection decision", "Hanawon", " "]
    )
    reception = services.reception_record(
        actor=people.receiving_officer, person=moved, arrived_on=timezone.localdate()
    )
    assert [s.label for s in reception.steps.all()] == ["Protection decision", "Hanawon"]


def test_a_step_is_recorded_as_done_once_he_arrived(people, moved):
    today = timezone.localdate()
    reception = services.reception_record(
        actor=people.receiving_officer, person=moved, arrived_on=today
    )
    step = reception.steps.first()
    with pytest.raises(DomainError) as refused:
        services.reception_step_done(
            actor=people.receiving_officer, step=step, done_on=today - datetime.timedelta(days=1)
        )
    assert refused.value.field == "done_on"
    done = services.reception_step_done(actor=people.receiving_officer, step=step, done_on=today)
    assert done.done_on == today and done.version == 2


def test_his_arrival_is_recorded_once_and_not_before_the_handover(people, moved):
    today = timezone.localdate()
    with pytest.raises(DomainError):
        services.reception_record(
            actor=people.receiving_officer, person=moved,
            arrived_on=today - datetime.timedelta(days=1),
        )  # fmt: skip
    services.reception_record(actor=people.receiving_officer, person=moved, arrived_on=today)
    with pytest.raises(DomainError):
        services.reception_record(actor=people.receiving_officer, person=moved, arrived_on=today)


def test_a_man_not_yet_handed_over_has_no_reception(people):
    waiting = register(people.registrar)
    with pytest.raises((DomainError, PermissionDenied)):
        services.reception_record(
            actor=people.receiving_officer, person=waiting, arrived_on=timezone.localdate()
        )


@pytest.mark.parametrize("who", ["interviewer", "registrar", "legal_officer"])
def test_only_the_receiving_state_records_his_reception(people, moved, who):
    with pytest.raises(PermissionDenied):
        services.reception_record(
            actor=getattr(people, who), person=moved, arrived_on=timezone.localdate()
        )
